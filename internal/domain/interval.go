package domain

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// intervalUnits are the words a source's interval may be written with,
// besides Go's own durations ("30m", "1h30m"): in English, Spanish and
// French, singular or plural, accents optional.
var intervalUnits = map[string]time.Duration{
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"minuto": time.Minute, "minutos": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"hora": time.Hour, "horas": time.Hour, "heure": time.Hour, "heures": time.Hour,
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour, "dia": 24 * time.Hour, "dias": 24 * time.Hour,
	"jour": 24 * time.Hour, "jours": 24 * time.Hour,
}

var errInterval = errors.New("not a duration")

// ParseInterval reads how often to poll a source as an editor writes it:
// a Go duration ("30m", "1h30m"), or numbers each followed by a unit in
// words ("2 hours", "1 hora 30 minutos", "1,5 heures", "1 day").
func ParseInterval(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	fields := strings.Fields(strings.ToLower(StripAccents(s)))
	if len(fields) == 0 || len(fields)%2 != 0 {
		return 0, errInterval
	}
	var total time.Duration
	for i := 0; i < len(fields); i += 2 {
		n, err := strconv.ParseFloat(strings.Replace(fields[i], ",", ".", 1), 64)
		unit, known := intervalUnits[strings.TrimSuffix(fields[i+1], ",")]
		if err != nil || !known || n < 0 || math.IsInf(n, 0) || math.IsNaN(n) || n > float64(math.MaxInt64/int64(unit)) {
			return 0, errInterval
		}
		total += time.Duration(n * float64(unit))
	}
	return total, nil
}

// StripAccents drops the accents of s's letters, and keeps everything
// else as it is: "días" is "dias", "Haïti ?" is "Haiti ?".
func StripAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
