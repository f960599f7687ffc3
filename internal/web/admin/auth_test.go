package admin

import "testing"

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/admin", "/admin"},
		{"/admin/editions", "/admin/editions"},
		{"/admin/items?country=CR&page=2", "/admin/items?country=CR&page=2"},
		{"/admin?lang=es", "/admin?lang=es"},
		{"", ""},
		{"/", ""},
		{"/administrator", ""},
		{"/admin/login", ""},
		{"/admin/login?next=/admin", ""},
		{"/admin/logout", ""},
		{"//evil.example/admin", ""},
		{"https://evil.example/admin", ""},
		{"/admin/\\evil.example", ""},
		{"/admin/../unsubscribe/x", ""},
		{"/admin/x\r\nSet-Cookie: a=b", ""},
		{"/admin/x\tq", ""},
		{"javascript:alert(1)", ""},
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
