package i18n

import (
	"regexp"
	"strings"
	"testing"
)

// ustedWords are forms that address the reader as usted: the pronoun
// and the imperatives the catalogue's sentences use. Each is only ever
// an usted form in these messages ("guarde", "abra", "tenga" are left
// out: "hasta que el worker guarde uno nuevo", "quien abra este correo").
var ustedWords = map[string]bool{
	"usted": true, "ustedes": true,
	"elija": true, "cambie": true, "haga": true, "escriba": true, "escríbala": true, "escríbalo": true,
	"revise": true, "compruebe": true, "corrija": true, "corríjala": true, "vincúlelas": true,
	"cancele": true, "acepte": true, "pulse": true, "seleccione": true, "introduzca": true, "indique": true,
	"suscríbase": true, "inténtelo": true, "vuelva": true, "pida": true, "descargue": true,
}

// ustedMine are the reader's things said as usted's ("sus opciones"),
// which the reader's pages and mails say as tú's ("tus opciones").
var ustedMine = regexp.MustCompile(`(?i)(^|[^\p{L}])sus? (demás )?(opciones|boletín|boletines|preferencias|suscripción|dirección|datos|correo)\b`)

// ustedLe is "le" before what the desk does for the reader ("le hemos
// enviado un enlace"): usted's "to you", which tú says "te". Spoken of
// the reader's address rather than of them, it still reads as usted to
// the person reading it.
var ustedLe = regexp.MustCompile(`(?i)(^|[^\p{L}])le (hemos|enviamos|enviaremos|mandamos|escribimos|avisaremos|avisamos)\b`)

// quoted is text in «», which may quote someone else: a mail server's
// "inténtelo más tarde".
var quoted = regexp.MustCompile(`«[^»]*»`)

var word = regexp.MustCompile(`\p{L}+`)

// TestSpanishSaysTú: the Spanish pages and mails address the reader as
// tú, from the sign-up form on, and the console its editors; a message
// in usted ("Cambie sus opciones") beside them reads as another voice.
// The reader's things are checked on the pages and mails only: the
// console speaks of the readers' ("cambió sus temas").
func TestSpanishSaysTú(t *testing.T) {
	c := Default()
	for _, key := range c.Keys("es") {
		reader := strings.HasPrefix(key, "page.") || strings.HasPrefix(key, "mail.")
		for form, text := range c.Forms("es", key) {
			unquoted := quoted.ReplaceAllString(text, "«»")
			for _, w := range word.FindAllString(unquoted, -1) {
				if ustedWords[strings.ToLower(w)] {
					t.Errorf("locales/es.toml: %s (%s) says %q, an usted form: %q", key, form, w, text)
				}
			}
			if m := ustedLe.FindString(unquoted); reader && m != "" {
				t.Errorf("locales/es.toml: %s (%s) says %q, usted's \"to you\": %q", key, form, strings.TrimSpace(m), text)
			}
			if m := ustedMine.FindString(unquoted); reader && m != "" {
				t.Errorf("locales/es.toml: %s (%s) says %q, the reader's things as usted's: %q", key, form, strings.TrimSpace(m), text)
			}
		}
	}
}
