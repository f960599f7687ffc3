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

func init() {
	register(map[string]string{
		"home_logins":          "Wrong console passwords",
		"home_logins_hint":     "Wrong passwords tried for console accounts in the last 24 hours. While an account is slowed, each client may try only %d passwords on it every %d minutes; its owner can still sign in.",
		"home_logins_account":  "Account",
		"home_logins_failures": "Wrong passwords",
		"home_logins_clients":  "Clients (about)",
		"home_logins_last":     "Last",
		"home_logins_state":    "Now",
		"home_logins_slowed":   "under attack: slowed",
		"home_logins_calm":     "quiet",
	}, map[string]string{
		"home_logins":          "Contraseñas incorrectas en la consola",
		"home_logins_hint":     "Contraseñas incorrectas probadas en cuentas de la consola en las últimas 24 horas. Mientras una cuenta está frenada, cada cliente solo puede probar %d contraseñas en ella cada %d minutos; su titular puede seguir entrando.",
		"home_logins_account":  "Cuenta",
		"home_logins_failures": "Contraseñas incorrectas",
		"home_logins_clients":  "Clientes (aprox.)",
		"home_logins_last":     "Última",
		"home_logins_state":    "Ahora",
		"home_logins_slowed":   "bajo ataque: frenada",
		"home_logins_calm":     "en calma",
	})
}
