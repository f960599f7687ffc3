// Package listname names the list in each of the digest's languages: the
// one name a reader sees in the digest's header, on its From line, in the
// subjects of the confirmation, welcome and other mails, and at the top of
// the public pages. The desk sets it in the console; a language it has not
// set takes the default: MAIL_FROM's display name when it has one (what
// every mail said before a desk could set anything), else the language
// file's name of the list (page.title).
package listname

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
)

// MaxLength is the longest name, in characters: a From line and a
// header show a short name whole; the table checks the same.
const MaxLength = 80

// Store keeps the names the desk set (a *postgres.DB).
type Store interface {
	ListNames(ctx context.Context) (map[string]string, error)
	SetListNames(ctx context.Context, names map[string]string, by string) error
}

// Auditor records who changed what (a *staff.Service).
type Auditor interface {
	Audit(ctx context.Context, actor, action, objectType string, objectID any, detail string, args ...any)
}

// Names hands out the list's names. Each process reads the desk's choice
// again once it is MaxAge old, so a name set in the console reaches the
// worker's next mails within it; the process that set it sees it at once.
type Names struct {
	store    Store
	audit    Auditor
	log      *slog.Logger
	fromName string // MAIL_FROM's display name
	maxAge   time.Duration

	mu     sync.Mutex
	set    map[string]string // the desk's, by language
	readAt time.Time         // zero: never read
}

// MaxAge is how long a process answers from one reading of the names.
const MaxAge = 5 * time.Second

// New makes the names over store; fromName is MAIL_FROM's display name.
func New(store Store, audit Auditor, fromName string, log *slog.Logger) *Names {
	if log == nil {
		log = slog.Default()
	}
	return &Names{store: store, audit: audit, log: log, fromName: strings.TrimSpace(fromName), maxAge: MaxAge}
}

// Default is the name of lang when the desk has set none.
func (n *Names) Default(lang string) string {
	if n.fromName != "" {
		return n.fromName
	}
	return i18n.Text(lang, "page.title")
}

// Name is the list's name in lang. The names are read again when they are
// older than MaxAge; should the database not answer, the last names read
// (or the defaults) serve, since a mail is better sent with the old name
// than not at all.
func (n *Names) Name(lang string) string {
	if name := n.current()[lang]; name != "" {
		return name
	}
	return n.Default(lang)
}

// Set returns the names the desk has set, by language (none: every
// language takes its default).
func (n *Names) Set(ctx context.Context) (map[string]string, error) {
	names, err := n.store.ListNames(ctx)
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "the list's names could not be read")
	}
	n.remember(names)
	return names, nil
}

func (n *Names) current() map[string]string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.readAt.IsZero() && time.Since(n.readAt) < n.maxAge {
		return n.set
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	names, err := n.store.ListNames(ctx)
	// Tried or not, the next reading waits MaxAge: a database that is
	// down is not asked again for every mail.
	n.readAt = time.Now()
	if err != nil {
		n.log.Warn("list names: keeping the last ones read", "err", err)
		return n.set
	}
	n.set = names
	return n.set
}

func (n *Names) remember(names map[string]string) {
	n.mu.Lock()
	n.set, n.readAt = names, time.Now()
	n.mu.Unlock()
}

// Problem says what is wrong with a name ("" when it is fine): "too_long"
// or "control" (a line break, a line or paragraph separator, or another
// invisible control or format character, which a header cannot carry).
func Problem(name string) string {
	if utf8.RuneCountInString(name) > MaxLength {
		return "too_long"
	}
	if !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool {
		return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
	}) {
		return "control"
	}
	return ""
}

// Update sets the names of the languages in names (trimmed; an empty one
// goes back to the default) on behalf of actor, and records it in the
// audit log. A bad name is an errs.Invalid naming its language, and
// nothing is written.
func (n *Names) Update(ctx context.Context, actor string, names map[string]string) error {
	clean := make(map[string]string, len(names))
	for lang, name := range names {
		if !i18n.Has(lang) {
			return errs.New(errs.Invalid, "list name: unknown language %q", lang)
		}
		name = strings.TrimSpace(name)
		switch Problem(name) {
		case "too_long":
			return errs.New(errs.Invalid, "list name (%s): longer than %d characters", lang, MaxLength)
		case "control":
			return errs.New(errs.Invalid, "list name (%s): holds a line break or a control character", lang)
		}
		if name == n.Default(lang) {
			name = "" // the default, kept as such should MAIL_FROM change
		}
		clean[lang] = name
	}
	before, err := n.Set(ctx)
	if err != nil {
		return err
	}
	if err := n.store.SetListNames(ctx, clean, actor); err != nil {
		return errs.Wrap(errs.Unavailable, err, "the list's names could not be saved")
	}
	var changes []string
	for _, lang := range domain.Languages {
		name, ok := clean[lang]
		if !ok || name == before[lang] {
			continue
		}
		was, now := n.shown(lang, before[lang]), n.shown(lang, name)
		changes = append(changes, fmt.Sprintf("%s: %q → %q", lang, was, now))
	}
	// Read back, so this process shows the new names at once.
	if _, err := n.Set(ctx); err != nil {
		return err
	}
	if len(changes) > 0 && n.audit != nil {
		n.audit.Audit(ctx, actor, "settings.list_name", "settings", nil, "%s", strings.Join(changes, "; "))
	}
	return nil
}

// shown is the name lang shows when set is what the desk set for it.
func (n *Names) shown(lang, set string) string {
	if set == "" {
		return n.Default(lang)
	}
	return set
}
