package admin

import (
	"context"
	"strings"
)

// loginWatches is what the dashboard tells the user about wrong passwords
// for console accounts over the last day: the owner sees every account,
// an editor their own. A failure to read it is logged, and the rest of
// the dashboard still shown.
func (a *Console) loginWatches(ctx context.Context, u *user) []loginWatch {
	ws, err := a.limiter.watched(ctx, func(account string) bool {
		return u.Owner() || strings.EqualFold(account, u.Name)
	})
	if err != nil {
		a.Log.Warn("dashboard: login watch unavailable", "err", err)
	}
	return ws
}
