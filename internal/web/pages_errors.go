package web

import (
	"fmt"

	"newsdigest/internal/errs"
)

// fieldError is a mistake in one field of a public form, said in the
// page's language, with the element it belongs to: Target is the id the
// summary at the top links to, and the field's message has the id
// Field+"-error", which the field's aria-describedby names.
type fieldError struct {
	Field   string
	Target  string
	Message string
}

// formField is where the form shows one kind of mistake: the field's
// name in the templates, and the element the summary links to.
type formField struct {
	name, target string
}

var (
	fieldEmail     = formField{"email", "email"}
	fieldChoices   = formField{"choices", "all"}
	fieldCountries = formField{"countries", "fs-countries"}
	fieldTopics    = formField{"topics", "fs-topics"}
	fieldMode      = formField{"mode", "fs-mode"}
	fieldLanguage  = formField{"language", "fs-language"}
)

// plainError is how a person is told of one validation error: the field
// and the message key (in messages, i18n_form.go).
type plainError struct {
	field formField
	key   string
}

// plainErrors is keyed by the exact English format the services give
// errs.New; pages_errors_test.go makes each error and checks it is found
// here, so a reworded message fails the tests instead of reaching a
// person as "email: …".
var plainErrors = map[string]plainError{
	"email: required": {fieldEmail, "err_email_required"},
	"email: must not begin with =, +, -, @, a tab or a line break":                                    {fieldEmail, "err_email_start"},
	"email: longer than %d characters":                                                                {fieldEmail, "err_email_long"},
	"email: longer than %d characters once its domain is in ASCII form":                               {fieldEmail, "err_email_long"},
	"email: %q is not a valid address":                                                                {fieldEmail, "err_email_invalid"},
	"email: the part before @ is longer than %d characters":                                           {fieldEmail, "err_email_local_long"},
	"email: the part before @ holds a character that cannot be seen (U+%04X); type the address again": {fieldEmail, "err_email_unseen"},
	"email: %q %s": {fieldEmail, "err_email_domain"},
	"countries, topics: choose all stories, or at least one country or topic": {fieldChoices, "err_choices"},
	"countries: unknown country code %q":                                      {fieldCountries, "err_countries"},
	"regions: unknown region %q":                                              {fieldCountries, "err_countries"},
	"countries: more than %d values":                                          {fieldCountries, "err_countries"},
	"regions: more than %d values":                                            {fieldCountries, "err_countries"},
	"regions_was: more than %d values":                                        {fieldCountries, "err_countries"},
	"topics: unknown topic %q":                                                {fieldTopics, "err_topics"},
	"topics: more than %d values":                                             {fieldTopics, "err_topics"},
	"language: must be one of %s":                                             {fieldLanguage, "err_language"},
	"mode: must be %q or %q":                                                  {fieldMode, "err_mode"},
	"mode: %q needs at least one country and one topic":                       {fieldMode, "err_mode_narrow"},
}

// fieldErrorOf says a validation error in plain words in lang, tied to
// its field. An error not in plainErrors (none should be) is shown
// against the choices with a general request to check them, never with
// the service's own wording.
func fieldErrorOf(lang string, err error) fieldError {
	p, ok := plainErrors[formatOf(err)]
	if !ok {
		p = plainError{fieldChoices, "err_check_form"}
	}
	message := msg(lang, p.key)
	if p.key == "err_language" {
		message = fmt.Sprintf(message, languageList())
	}
	return fieldError{Field: p.field.name, Target: p.field.target, Message: message}
}

func formatOf(err error) string {
	format, _, _ := errs.TemplateOf(err)
	return format
}
