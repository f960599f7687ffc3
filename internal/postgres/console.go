package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// CreateEditor adds an editor account with the given roles; the address
// is unique whatever its case.
func (db *DB) CreateEditor(ctx context.Context, email, passwordHash, createdBy string, roles domain.Roles) (domain.Editor, error) {
	var e domain.Editor
	err := db.pool.QueryRow(ctx, `
		INSERT INTO editors (email, password_hash, created_by, can_edit, can_manage_subscribers) VALUES ($1, $2, $3, $4, $5)
		RETURNING id, email, created_by, created_at, password_changed_at, can_edit, can_manage_subscribers`,
		email, passwordHash, createdBy, roles.Edit, roles.Subscribers).
		Scan(&e.ID, &e.Email, &e.CreatedBy, &e.CreatedAt, &e.PasswordChangedAt, &e.Roles.Edit, &e.Roles.Subscribers)
	if isUniqueViolation(err) {
		return e, errs.New(errs.Conflict, "email: %s is an editor already", email)
	}
	if err != nil {
		return e, fmt.Errorf("create editor: %w", err)
	}
	return e, nil
}

// Editors lists the editor accounts, oldest first.
func (db *DB) Editors(ctx context.Context) ([]domain.Editor, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT e.id, e.email, e.created_by, e.created_at, e.password_changed_at,
		       (SELECT max(last_seen_at) FROM admin_sessions s WHERE s.editor_id = e.id),
		       e.can_edit, e.can_manage_subscribers
		FROM editors e ORDER BY e.id`)
	if err != nil {
		return nil, fmt.Errorf("editors: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Editor, error) {
		var e domain.Editor
		err := r.Scan(&e.ID, &e.Email, &e.CreatedBy, &e.CreatedAt, &e.PasswordChangedAt, &e.LastSeenAt,
			&e.Roles.Edit, &e.Roles.Subscribers)
		return e, err
	})
}

// SetEditorRoles changes what an editor may do; it takes effect on their
// next request.
func (db *DB) SetEditorRoles(ctx context.Context, id int64, roles domain.Roles) error {
	tag, err := db.pool.Exec(ctx, `UPDATE editors SET can_edit = $2, can_manage_subscribers = $3 WHERE id = $1`,
		id, roles.Edit, roles.Subscribers)
	if err != nil {
		return fmt.Errorf("set editor roles: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return errs.New(errs.NotFound, "editor not found")
	}
	return nil
}

// EditorSessions lists an editor's live console sessions, the most
// recently used first.
func (db *DB) EditorSessions(ctx context.Context, editorID int64) ([]domain.ConsoleSession, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id, created_at, last_seen_at, expires_at, ip, user_agent FROM admin_sessions
		WHERE editor_id = $1 AND expires_at > now() ORDER BY last_seen_at DESC, id DESC`, editorID)
	if err != nil {
		return nil, fmt.Errorf("editor sessions: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[domain.ConsoleSession])
}

// EndEditorSessions ends one session of an editor (sessionID), or all of
// them (sessionID 0), and says how many ended.
func (db *DB) EndEditorSessions(ctx context.Context, editorID, sessionID int64) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM admin_sessions WHERE editor_id = $1 AND ($2 = 0 OR id = $2)`, editorID, sessionID)
	if err != nil {
		return 0, fmt.Errorf("end editor sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// EditorLogin returns an editor (id and address as stored) and their
// password hash by address, in any case, for checking a login;
// errs.NotFound when there is no such editor. An address PostgreSQL
// cannot hold as text (not UTF-8, or with a NUL) is no editor's, and is
// not sent: the server would refuse it with an error.
func (db *DB) EditorLogin(ctx context.Context, email string) (e domain.Editor, hash string, err error) {
	if !utf8.ValidString(email) || strings.ContainsRune(email, 0) {
		return e, "", errs.New(errs.NotFound, "editor not found")
	}
	err = db.pool.QueryRow(ctx, `SELECT id, email, password_hash FROM editors WHERE lower(email) = lower($1)`, email).
		Scan(&e.ID, &e.Email, &hash)
	return e, hash, notFound(err, "editor")
}

// EditorEmail returns an editor's address; errs.NotFound when there is no
// such editor.
func (db *DB) EditorEmail(ctx context.Context, id int64) (string, error) {
	var email string
	err := db.pool.QueryRow(ctx, `SELECT email FROM editors WHERE id = $1`, id).Scan(&email)
	return email, notFound(err, "editor")
}

// SetEditorPassword changes an editor's password and ends every session
// of theirs, in one transaction.
func (db *DB) SetEditorPassword(ctx context.Context, id int64, passwordHash string) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE editors SET password_hash = $2, password_changed_at = now() WHERE id = $1`, id, passwordHash)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return errs.New(errs.NotFound, "editor not found")
		}
		_, err = tx.Exec(ctx, `DELETE FROM admin_sessions WHERE editor_id = $1`, id)
		return err
	})
}

// DeleteEditor removes an editor; their sessions go with them.
func (db *DB) DeleteEditor(ctx context.Context, id int64) (domain.Editor, error) {
	var e domain.Editor
	err := db.pool.QueryRow(ctx, `DELETE FROM editors WHERE id = $1 RETURNING id, email`, id).Scan(&e.ID, &e.Email)
	return e, notFound(err, "editor")
}

// CreateSession stores a login.
func (db *DB) CreateSession(ctx context.Context, n domain.NewSession) error {
	var editor any
	if n.EditorID != 0 {
		editor = n.EditorID
	}
	var owner any
	if n.EditorID == 0 {
		owner = n.OwnerKey
	}
	_, err := db.pool.Exec(ctx, `
		INSERT INTO admin_sessions (token_hash, editor_id, owner_key, expires_at, ip, user_agent)
		VALUES ($1, $2, $3, now() + $4::interval, $5, $6)`,
		n.TokenHash, editor, owner, n.TTL, truncate(n.IP, 100), truncate(n.UserAgent, 300))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash returns the unexpired session with that token hash, or
// errs.NotFound.
func (db *DB) SessionByHash(ctx context.Context, hash []byte) (domain.Session, error) {
	var s domain.Session
	var editor *int64
	var email *string
	var edit, subscribers *bool
	err := db.pool.QueryRow(ctx, `
		SELECT s.editor_id, s.owner_key, e.email, s.last_seen_at, s.created_at, e.can_edit, e.can_manage_subscribers
		FROM admin_sessions s LEFT JOIN editors e ON e.id = s.editor_id
		WHERE s.token_hash = $1 AND s.expires_at > now()`, hash).
		Scan(&editor, &s.OwnerKey, &email, &s.LastSeenAt, &s.CreatedAt, &edit, &subscribers)
	if err != nil {
		return s, notFound(err, "session")
	}
	s.Roles = domain.AllRoles
	if editor != nil {
		s.EditorID = *editor
		s.Roles = domain.Roles{Edit: edit != nil && *edit, Subscribers: subscribers != nil && *subscribers}
	}
	if email != nil {
		s.Email = *email
	}
	return s, nil
}

// TouchSession moves a session's idle expiry on, never past maxAge from
// its start.
func (db *DB) TouchSession(ctx context.Context, hash []byte, idle, maxAge time.Duration) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE admin_sessions SET last_seen_at = now(),
		       expires_at = least(now() + $2::interval, created_at + $3::interval)
		WHERE token_hash = $1`, hash, idle, maxAge)
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one login.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM admin_sessions WHERE token_hash = $1`, hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// PruneSessions ends the owner's sessions made with another
// ADMIN_PASSWORD, and expired sessions of anyone.
func (db *DB) PruneSessions(ctx context.Context, ownerKey []byte) error {
	_, err := db.pool.Exec(ctx, `
		DELETE FROM admin_sessions
		WHERE expires_at < now() OR (owner_key IS NOT NULL AND owner_key <> $1)`, ownerKey)
	if err != nil {
		return fmt.Errorf("prune sessions: %w", err)
	}
	return nil
}

// Audit records an admin action.
func (db *DB) Audit(ctx context.Context, e domain.AuditEntry) error {
	args, err := e.Words.ArgsJSON()
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	detail := truncate(e.Detail, 2000)
	if detail != e.Detail || bytes.Contains(args, []byte(`\u0000`)) {
		// Cut short, it is no longer what the words say; and jsonb
		// holds no NUL.
		e.Words, args = domain.Words{}, []byte("[]")
	}
	_, err = db.pool.Exec(ctx, `
		INSERT INTO audit_log (actor, action, object_type, object_id, detail, detail_format, detail_args)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		e.Actor, e.Action, e.ObjectType, e.ObjectID, detail, e.Words.Format, string(args))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditLog returns entries newest first, older than before (0: from the
// newest), filtered by actor and object when those are set.
func (db *DB) AuditLog(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := db.pool.Query(ctx, `
		SELECT id, at, actor, action, object_type, object_id, detail, detail_format, detail_args FROM audit_log
		WHERE ($1 = 0 OR id < $1)
		  AND ($2 = '' OR lower(actor) = lower($2) OR split_part(lower(actor), '@', 1) = lower($2))
		  AND ($3 = '' OR object_type = $3)
		  AND ($4 = '' OR object_id = $4)
		  AND (NOT $6 OR action NOT LIKE 'session.%')
		ORDER BY id DESC LIMIT $5`, f.Before, f.Actor, f.ObjectType, f.ObjectID, limit, f.WithoutSessions)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.AuditEntry, error) {
		var e domain.AuditEntry
		var args []byte
		if err := r.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail, &e.Words.Format, &args); err != nil {
			return e, err
		}
		var err error
		e.Words.Args, err = domain.DecodeArgs(args)
		return e, err
	})
}

// SaveDraft keeps an upload between its preview and its confirmation,
// removing drafts older than a day on the way.
func (db *DB) SaveDraft(ctx context.Context, kind, format string, body []byte, by string) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM import_drafts WHERE created_at < now() - interval '1 day'`); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			INSERT INTO import_drafts (kind, format, body, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
			kind, format, body, by).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("save draft: %w", err)
	}
	return id, nil
}

// TakeDraft returns a draft of the given kind and account and empties
// it, so a confirmation is used once: taken again, it is errs.Conflict
// (domain.ErrDraftTaken); errs.NotFound if it is gone.
func (db *DB) TakeDraft(ctx context.Context, id int64, kind, by string) (format string, body []byte, err error) {
	// A second confirmation at once waits for the first's commit, then
	// finds the draft taken.
	err = db.pool.QueryRow(ctx, `
		WITH d AS (
		    SELECT id, format, body FROM import_drafts
		    WHERE id = $1 AND kind = $2 AND created_by = $3 AND taken_at IS NULL FOR UPDATE)
		UPDATE import_drafts x SET body = '', taken_at = now() FROM d WHERE x.id = d.id AND x.taken_at IS NULL
		RETURNING d.format, d.body`, id, kind, by).Scan(&format, &body)
	if !errors.Is(err, pgx.ErrNoRows) {
		return format, body, err
	}
	var taken bool
	err = db.pool.QueryRow(ctx, `
		SELECT taken_at IS NOT NULL FROM import_drafts WHERE id = $1 AND kind = $2 AND created_by = $3`, id, kind, by).Scan(&taken)
	switch {
	case err == nil && taken:
		return "", nil, errs.New(errs.Conflict, "%s", domain.ErrDraftTaken)
	case err == nil, errors.Is(err, pgx.ErrNoRows):
		return "", nil, errs.New(errs.NotFound, "%s", domain.ErrDraftGone)
	}
	return "", nil, err
}

// Draft returns a draft without removing it.
func (db *DB) Draft(ctx context.Context, id int64, kind, by string) (format string, body []byte, err error) {
	err = db.pool.QueryRow(ctx, `
		SELECT format, body FROM import_drafts WHERE id = $1 AND kind = $2 AND created_by = $3 AND taken_at IS NULL`,
		id, kind, by).Scan(&format, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, errs.New(errs.NotFound, "%s", domain.ErrDraftGone)
	}
	return format, body, err
}
