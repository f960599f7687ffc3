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
