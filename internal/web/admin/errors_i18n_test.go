package admin

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
	"newsdigest/internal/ingest"
)

// TestErrorMessagesMatchTheCode fails for a message of the catalogue's
// [error] section that is no longer a string literal in the code base: a
// service message reworded in English would otherwise drop back to
// English on other languages' pages without anyone noticing.
func TestErrorMessagesMatchTheCode(t *testing.T) {
	var sources strings.Builder
	eachCodeFile(t, func(path string) error {
		b, err := os.ReadFile(path)
		sources.Write(b)
		return err
	})
	code := sources.String()
	if len(errorKeys()) < 50 {
		t.Fatalf("only %d error messages in the catalogue", len(errorKeys()))
	}
	for format, key := range errorKeys() {
		if !strings.Contains(code, strconv.Quote(format)) && !strings.Contains(code, "`"+format+"`") {
			t.Errorf("%s: %q is no longer a message in the code", key, format)
		}
	}
	for key := range errorArgs {
		if !i18n.Exists(key) {
			t.Errorf("errorArgs: %s is not in the catalogue", key)
		}
	}
}

type knownTaxonomy struct{}

func (knownTaxonomy) HasCountry(code string) bool { return code == "NI" }
func (knownTaxonomy) HasTopic(slug string) bool   { return slug == "elections" }

func TestErrorTextInSpanish(t *testing.T) {
	filter := domain.Filter{Countries: []string{"XX"}, Language: "es", Mode: domain.ModeAny}
	badSource := domain.NewSource{URL: "https://example.org/feed", Kind: domain.SourceFeed, Interval: 10 * time.Second}
	loopback, _ := url.Parse("http://127.0.0.1/feed")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"filter with an unknown country", filter.Validate(knownTaxonomy{}), `países: código de país desconocido "XX"`},
		{"source polled too often", badSource.Validate(), "consultar cada: al menos 1m"},
		{"source on this machine's address", ingest.CheckSourceURL(loopback, false),
			"URL: 127.0.0.1 es una dirección de bucle local (loopback), de la que este servidor no descarga nada salvo que quien lo administra permita las redes privadas (INGEST_ALLOW_PRIVATE_NETWORKS, ver el README)"},
		{"subscriber status conflict, wrapped",
			fmt.Errorf("unsubscribe: %w", errs.New(errs.Conflict, "a subscriber who is %s cannot be made %s", domain.StatusErased, domain.StatusUnsubscribed)),
			"una persona que está borrada no puede quedar dada de baja"},
		{"edition status conflict",
			errs.New(errs.Conflict, "edition %d is %s: only a sending or done edition has failures to retry", 3, "queued"),
			"la edición 3 está «en cola»: solo una edición «enviando» o «terminada» tiene fallos que reintentar"},
		{"lookup", errs.New(errs.NotFound, "%s not found", "subscriber ana@example.org"),
			"no se encuentra el suscriptor ana@example.org"},
	} {
		if tc.err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		if got := errorText("es", tc.err); got != tc.want {
			t.Errorf("%s: errorText = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestErrorTextInFrench(t *testing.T) {
	filter := domain.Filter{Countries: []string{"XX"}, Language: "fr", Mode: domain.ModeAny}
	loopback, _ := url.Parse("http://127.0.0.1/feed")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"filter with an unknown country", filter.Validate(knownTaxonomy{}), "pays\u00a0: code de pays inconnu \"XX\""},
		{"source on this machine's address", ingest.CheckSourceURL(loopback, false),
			"URL\u00a0: 127.0.0.1 est une adresse de bouclage (loopback), depuis laquelle ce serveur ne télécharge rien sauf si l’exploitation du serveur autorise les réseaux privés (INGEST_ALLOW_PRIVATE_NETWORKS, voir le README)"},
		{"subscriber status conflict",
			errs.New(errs.Conflict, "a subscriber who is %s cannot be made %s", domain.StatusErased, domain.StatusUnsubscribed),
			"un abonnement effacé ne peut pas devenir résilié"},
		{"edition status conflict",
			errs.New(errs.Conflict, "edition %d is %s: only a sending or done edition has failures to retry", 3, "queued"),
			"l’édition 3 est «\u00a0en file d’attente\u00a0»\u00a0: seule une édition «\u00a0en cours d’envoi\u00a0» ou «\u00a0terminée\u00a0» a des échecs à renvoyer"},
		{"lookup", errs.New(errs.NotFound, "%s not found", "subscriber ana@example.org"), "abonnement ana@example.org introuvable"},
	} {
		if tc.err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		if got := errorText("fr", tc.err); got != tc.want {
			t.Errorf("%s: errorText = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestErrorTextFallsBackToEnglish(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"message not in the catalogue", errs.New(errs.Invalid, "date %q: want YYYY-MM-DD", "2024-13-01")},
		{"argument with no Spanish word", errs.New(errs.NotFound, "%s not found", "confirmation mail due")},
		{"message made by Wrap", errs.Wrap(errs.Invalid, fmt.Errorf("eof"), "feed: not an RSS, Atom or JSON Feed document")},
		{"internal error", errs.New(errs.Internal, "%s not found", "item")},
	} {
		if got, want := errorText("es", tc.err), errs.MessageOf(tc.err); got != want {
			t.Errorf("%s: errorText = %q, want the English %q", tc.name, got, want)
		}
	}
}

// TestErrorTextInEnglish checks English pages keep the services' own
// words, which the browser tests and the API assert.
func TestErrorTextInEnglish(t *testing.T) {
	filter := domain.Filter{Countries: []string{"XX"}, Language: "es", Mode: domain.ModeAny}
	for _, err := range []error{
		filter.Validate(knownTaxonomy{}),
		errs.New(errs.Conflict, "the subscriber is %s already", domain.StatusActive),
		errs.New(errs.Internal, "import draft of unknown format %q", "x"),
	} {
		if got, want := errorText("en", err), errs.MessageOf(err); got != want {
			t.Errorf("errorText(en) = %q, want %q", got, want)
		}
	}
}

// TestCountedErrorsTakeTheCountsForm: a message the code writes in the
// form of its count ("1 invalid item", "2 invalid items") is said in the
// console's language in the form that language gives the count (French
// "0 article" and "1 article"), however the count came (an int from the
// code, an int64 from storage).
func TestCountedErrorsTakeTheCountsForm(t *testing.T) {
	one, other := "%d invalid item; nothing was imported", "%d invalid items; nothing was imported"
	for _, tc := range []struct {
		lang   string
		format string
		n      any
		want   string
	}{
		{"es", one, 1, "1 noticia no válida; no se importó nada"},
		{"es", other, 2, "2 noticias no válidas; no se importó nada"},
		{"es", other, int64(0), "0 noticias no válidas; no se importó nada"},
		{"fr", one, 1, "1 article non valide\u00a0; rien n’a été importé"},
		{"fr", other, 0, "0 article non valide\u00a0; rien n’a été importé"},
		{"fr", other, int64(3), "3 articles non valides\u00a0; rien n’a été importé"},
		{"es", "the feed has %d unusable entries; nothing was imported", 4, "el feed tiene 4 entradas inservibles; no se importó nada"},
		{"fr", "the listing has %d unreadable line; nothing was imported", 1, "la liste contient 1 ligne illisible\u00a0; rien n’a été importé"},
	} {
		if got := errorText(tc.lang, errs.New(errs.Invalid, tc.format, tc.n)); got != tc.want {
			t.Errorf("errorText(%s, %q, %v) = %q, want %q", tc.lang, tc.format, tc.n, got, tc.want)
		}
	}
}
