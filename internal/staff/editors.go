package staff

import (
	"context"
	"strings"
	"unicode/utf8"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/passwords"
)

// maxPasswordLen matches what the login accepts.
const maxPasswordLen = 1024

// ValidatePassword says what is wrong with a new password for the field
// named field of account (an editor's address), or returns nil: it must
// be long enough, and neither a breached password nor one zxcvbn's
// estimate guesses quickly (package passwords), the account's own address
// being among the first guesses.
func ValidatePassword(field, pw, account string) error {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLen {
		return errs.New(errs.Invalid, "%s: at least %d characters, please (this one has %d)", field, MinPasswordLen, n)
	}
	if len(pw) > maxPasswordLen {
		return errs.New(errs.Invalid, "%s: at most %d bytes", field, maxPasswordLen)
	}
	switch passwords.Check(pw, passwords.Hints(account)...) {
	case passwords.Leaked:
		return errs.New(errs.Invalid, "%s: a password known from breaches; choose another", field)
	case passwords.Guessable:
		return errs.New(errs.Invalid, "%s: too easy to guess (common words, names, dates, keyboard walks and repeats are tried first); "+
			"a phrase of four or more words will do", field)
	}
	return nil
}

// Editors lists the editor accounts.
func (s *Service) Editors(ctx context.Context) ([]domain.Editor, error) {
	return s.store.Editors(ctx)
}

// AddEditor gives someone a console account with the given roles: they
// log in with the email and password.
func (s *Service) AddEditor(ctx context.Context, actor, email, password string, roles domain.Roles) (domain.Editor, error) {
	addr, err := domain.NormalizeEmail(email)
	if err != nil {
		return domain.Editor{}, err
	}
	if err := ValidatePassword("password", password, addr); err != nil {
		return domain.Editor{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return domain.Editor{}, err
	}
	e, err := s.store.CreateEditor(ctx, addr, hash, actor, roles)
	if err != nil {
		return e, err
	}
	if roles := roleNames(roles); roles != "" {
		s.Audit(ctx, actor, "editor.create", "editor", e.ID, "%s, roles: %s", e.Email, roles)
	} else {
		s.Audit(ctx, actor, "editor.create", "editor", e.ID, "%s, no roles", e.Email)
	}
	return e, nil
}

// SetEditorRoles changes what an editor may do, from their next request.
func (s *Service) SetEditorRoles(ctx context.Context, actor string, id int64, roles domain.Roles) error {
	if err := s.store.SetEditorRoles(ctx, id, roles); err != nil {
		return err
	}
	if roles := roleNames(roles); roles != "" {
		s.Audit(ctx, actor, "editor.roles", "editor", id, "roles: %s", roles)
	} else {
		s.Audit(ctx, actor, "editor.roles", "editor", id, "no roles")
	}
	return nil
}

// EditorSessions lists an editor's live console sessions.
func (s *Service) EditorSessions(ctx context.Context, id int64) ([]domain.ConsoleSession, error) {
	return s.store.EditorSessions(ctx, id)
}

// EndEditorSessions logs an editor out of one session (sessionID), or of
// all of them (0), and returns how many ended.
func (s *Service) EndEditorSessions(ctx context.Context, actor string, id, sessionID int64) (int64, error) {
	n, err := s.store.EndEditorSessions(ctx, id, sessionID)
	if err != nil {
		return 0, err
	}
	if sessionID == 0 {
		s.Audit(ctx, actor, "editor.sessions_end", "editor", id, "all sessions ended (%d)", n)
	} else {
		s.Audit(ctx, actor, "editor.sessions_end", "editor", id, "session %d ended", sessionID)
	}
	return n, nil
}

// roleNames names roles for the audit log ("edit and send, manage
// subscribers"), "" for none.
func roleNames(r domain.Roles) string {
	var parts []string
	if r.Edit {
		parts = append(parts, "edit and send")
	}
	if r.Subscribers {
		parts = append(parts, "manage subscribers")
	}
	return strings.Join(parts, ", ")
}

// RemoveEditor deletes an editor's account; their sessions end with it.
func (s *Service) RemoveEditor(ctx context.Context, actor string, id int64) (domain.Editor, error) {
	e, err := s.store.DeleteEditor(ctx, id)
	if err != nil {
		return e, err
	}
	s.Audit(ctx, actor, "editor.delete", "editor", e.ID, "%s", e.Email)
	return e, nil
}

// ResetEditorPassword sets an editor's password (the owner's reset, or
// the editor's own change once their current password is checked) and
// ends every session of theirs.
func (s *Service) ResetEditorPassword(ctx context.Context, actor string, id int64, password string) error {
	email, err := s.store.EditorEmail(ctx, id)
	if err != nil {
		return err
	}
	if err := ValidatePassword("new_password", password, email); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.store.SetEditorPassword(ctx, id, hash); err != nil {
		return err
	}
	s.Audit(ctx, actor, "editor.password", "editor", id, "password changed; sessions ended")
	return nil
}

// CheckEditorPassword reports whether password is the editor's current
// one.
func (s *Service) CheckEditorPassword(ctx context.Context, email, password string) (id int64, ok bool, err error) {
	e, hash, err := s.store.EditorLogin(ctx, email)
	if err != nil {
		return 0, false, err
	}
	return e.ID, CheckPassword(hash, password), nil
}
