package admin

// The console's words for a subscriber's pause.
func init() {
	register(map[string]string{
		"sub_paused_until":     "Paused until",
		"editions_skip_paused": "paused by the subscriber",
	}, map[string]string{
		"sub_paused_until":     "En pausa hasta",
		"editions_skip_paused": "en pausa por decisión de la persona",
	})
}
