// Package staff owns the desk's own people and what they do: the editor
// accounts, their roles and passwords (argon2id, checked against breached
// and guessable ones), their console sessions, and the audit log every
// other service writes to (Audit). The console keeps the cookies and the
// login limits; the storage is named here as a small interface that
// package postgres implements.
package staff

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"newsdigest/internal/domain"
)

// Store is the storage the service needs.
type Store interface {
	CreateEditor(ctx context.Context, email, passwordHash, createdBy string, roles domain.Roles) (domain.Editor, error)
	Editors(ctx context.Context) ([]domain.Editor, error)
	SetEditorRoles(ctx context.Context, id int64, roles domain.Roles) error
	EditorSessions(ctx context.Context, editorID int64) ([]domain.ConsoleSession, error)
	EndEditorSessions(ctx context.Context, editorID, sessionID int64) (int64, error)
	EditorLogin(ctx context.Context, email string) (domain.Editor, string, error)
	EditorEmail(ctx context.Context, id int64) (string, error)
	SetEditorPassword(ctx context.Context, id int64, passwordHash string) error
	DeleteEditor(ctx context.Context, id int64) (domain.Editor, error)
	CreateSession(ctx context.Context, n domain.NewSession) error
	SessionByHash(ctx context.Context, hash []byte) (domain.Session, error)
	TouchSession(ctx context.Context, hash []byte, idle, maxAge time.Duration) error
	DeleteSession(ctx context.Context, hash []byte) error
	PruneSessions(ctx context.Context, ownerKey []byte) error
	Audit(ctx context.Context, e domain.AuditEntry) error
	AuditLog(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, error)
}

// Service is the desk's staff and its audit log.
type Service struct {
	store Store
	log   *slog.Logger
}

// New assembles the service.
func New(store Store, log *slog.Logger) *Service {
	return &Service{store: store, log: log}
}

// Audit records that actor did action on an object. The action has
// happened by then; a failure to record it is logged, not returned, so the
// caller does not report as failed something that was done.
//
// detail is an English fmt format, filled with args; the format and the
// arguments are kept too, so the console can say the detail in its
// reader's language (the [audit] section of the catalogue has each
// format, which a test checks).
func (s *Service) Audit(ctx context.Context, actor, action, objectType string, objectID any, detail string, args ...any) {
	words := domain.Words{Format: detail}
	if len(args) > 0 {
		words = domain.NewWords(detail, args...)
		detail = fmt.Sprintf(detail, args...)
	}
	e := domain.AuditEntry{Actor: actor, Action: action, ObjectType: objectType, Detail: detail, Words: words}
	if objectID != nil {
		e.ObjectID = fmt.Sprint(objectID)
	}
	// The request may be gone by now (a client that hung up); the record
	// of what was done must still be written.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.store.Audit(ctx, e); err != nil {
		s.log.Error("audit record lost", "actor", actor, "action", action, "object", e.ObjectType+":"+e.ObjectID, "err", err)
	}
}

// AuditLog returns the entries f selects, newest first.
func (s *Service) AuditLog(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, error) {
	return s.store.AuditLog(ctx, f)
}
