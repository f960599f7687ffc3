package admin

import (
	"strings"

	"newsdigest/internal/domain"
)

// dateRange reads the optional from and to dates (YYYY-MM-DD) of a
// filter or form; bad names the first that is not a date ("from" or
// "to"), "" when both are fine.
func dateRange(from, to string) (fromDate, toDate *domain.Date, bad string) {
	for _, f := range []struct {
		field, value string
		into         **domain.Date
	}{{"from", from, &fromDate}, {"to", to, &toDate}} {
		v := strings.TrimSpace(f.value)
		if v == "" {
			continue
		}
		d, err := domain.ParseDate(v)
		if err != nil {
			return nil, nil, f.field
		}
		*f.into = &d
	}
	return fromDate, toDate, ""
}
