package tagging

import "testing"

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"English title", "Mexico: UN agencies promote labor inclusion of migrants in the recovery phase", "en"},
		{"Spanish title", "México: agencias de la ONU promueven la inclusión laboral de las personas migrantes", "es"},
		{"Spanish with accents only", "Capacitación en Dajabón", "es"},
		{"English with Spanish names", "El Salvador and La Ceiba: IOM opens an office in Dajabón", "en"},
		{"Spanish shouted", "REUNIÓN DE LA CONFERENCIA REGIONAL SOBRE MIGRACIÓN", "es"},
		{"English shouted", "THE RCM MEETS IN THE CAPITAL", "en"},
		{"French title", "Haïti : l’OIM appuie le retour des personnes rapatriées depuis la République dominicaine", "fr"},
		{"French with Spanish names", "Les autorités de Dajabón et de Ouanaminthe renforcent la coopération", "fr"},
		{"French accents only", "Déplacés à Jérémie après l’ouragan", "fr"},
		{"Spanish with French names", "Haití: la OIM apoya a las personas retornadas en Ouanaminthe y Cap-Haïtien", "es"},
		{"empty", "", "en"},
		{"numbers only", "2020", "en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DetectLanguage(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLanguageRulesErrors(t *testing.T) {
	for name, data := range map[string]string{
		"unknown language": "function\tde\tder die das\n",
		"unknown kind":     "function\ten\tthe\nstop\ten\tthe\n",
		"two columns":      "function\ten the\n",
		"no source":        "function\tes\tde la\n",
	} {
		if _, err := parseLanguageRules(data); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}
