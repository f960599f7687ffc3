package taxonomy

import (
	"context"
	"sync"
	"time"

	"newsdigest/internal/domain"
)

// Source is where the taxonomy is stored (the database), which editors
// may change.
type Source interface {
	Vocabulary(ctx context.Context) (domain.Vocabulary, error)
}

// Cache hands out the taxonomy as Source has it, read again once the
// copy it keeps is older than MaxAge (zero: at every call), so that
// editors' changes show without a restart. When the source fails, the
// last copy read is given rather than nothing.
type Cache struct {
	Source Source
	MaxAge time.Duration

	mu     sync.Mutex
	tax    *Taxonomy
	loaded time.Time
}

// Taxonomy returns the taxonomy, indexed for lookups.
func (c *Cache) Taxonomy(ctx context.Context) (*Taxonomy, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tax != nil && c.MaxAge > 0 && time.Since(c.loaded) < c.MaxAge {
		return c.tax, nil
	}
	v, err := c.Source.Vocabulary(ctx)
	if err != nil {
		if c.tax != nil {
			return c.tax, nil
		}
		return nil, err
	}
	c.tax, c.loaded = New(v.Countries, v.Regions, v.Topics), time.Now()
	return c.tax, nil
}
