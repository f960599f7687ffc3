package domain

import "testing"

func TestCursorRoundTrip(t *testing.T) {
	cur := ItemCursor{PublishedOn: NewDate(2020, 12, 16), ID: 42}
	got, err := DecodeItemCursor(cur.Encode())
	if err != nil || !got.PublishedOn.Equal(cur.PublishedOn.Time) || got.ID != 42 {
		t.Errorf("round trip = %+v, %v", got, err)
	}
	if _, err := DecodeItemCursor("not-a-cursor"); err == nil {
		t.Error("a made-up cursor was accepted")
	}
}
