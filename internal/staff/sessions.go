package staff

import (
	"context"
	"time"

	"newsdigest/internal/domain"
)

// StartSession stores a console login, and prunes the expired sessions
// and the owner's opened with an earlier ADMIN_PASSWORD (ownerKey is the
// current one's) on the way; a failure to prune is logged.
func (s *Service) StartSession(ctx context.Context, n domain.NewSession) error {
	if err := s.store.CreateSession(ctx, n); err != nil {
		return err
	}
	if err := s.store.PruneSessions(ctx, n.OwnerKey); err != nil {
		s.log.Warn("old sessions not pruned", "err", err)
	}
	return nil
}

// Session returns the unexpired session with that token hash, or
// errs.NotFound.
func (s *Service) Session(ctx context.Context, hash []byte) (domain.Session, error) {
	return s.store.SessionByHash(ctx, hash)
}

// TouchSession keeps a session in use alive: idle from now, never past
// maxAge from its start.
func (s *Service) TouchSession(ctx context.Context, hash []byte, idle, maxAge time.Duration) error {
	return s.store.TouchSession(ctx, hash, idle, maxAge)
}

// EndSession ends one session (a logout, or a login that replaces it).
func (s *Service) EndSession(ctx context.Context, hash []byte) error {
	return s.store.DeleteSession(ctx, hash)
}

// EditorLogin returns the editor with that address (in any case: their
// id, and their address as stored, which names them in the audit log)
// and their password hash, for a login to check; errs.NotFound when there
// is none.
func (s *Service) EditorLogin(ctx context.Context, email string) (domain.Editor, string, error) {
	return s.store.EditorLogin(ctx, email)
}
