package domain

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"newsdigest/internal/errs"
)

// Encode writes a keyset position as an opaque token.
func (cur ItemCursor) Encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(cur.PublishedOn.String() + "," + strconv.FormatInt(cur.ID, 10)))
}

// DecodeItemCursor reads a token ItemCursor.Encode gave out;
// errs.Malformed naming cursor for any other.
func DecodeItemCursor(s string) (ItemCursor, error) {
	cur, err := decodeCursor(s)
	if err != nil {
		return cur, errs.New(errs.Malformed, "cursor: not one this API gave out")
	}
	return cur, nil
}

func decodeCursor(s string) (ItemCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ItemCursor{}, err
	}
	day, id, ok := strings.Cut(string(b), ",")
	if !ok {
		return ItemCursor{}, errors.New("no comma")
	}
	dt, err := ParseDate(day)
	if err != nil {
		return ItemCursor{}, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return ItemCursor{}, err
	}
	return ItemCursor{PublishedOn: dt, ID: n}, nil
}
