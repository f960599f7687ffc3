package bounce

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestVERPGolden pins the address format: mail in flight carries
// addresses made by the code as it was when it was sent, so a change here
// would refuse their bounces. The expected address was computed apart
// from this code (HMAC-SHA256 in Python) from the documented format.
func TestVERPGolden(t *testing.T) {
	v := testVERP(t)
	if got, want := v.Address(48213), "bounces+48213.vib2p2pvwfougoxq@bounce.example.com"; got != want {
		t.Errorf("Address(48213) = %q, want %q", got, want)
	}
	if got, want := v.Token(1001), "1001.w7ocwojcyxxvy5bm"; got != want {
		t.Errorf("Token(1001) = %q, want %q", got, want)
	}
}

func TestVERPRoundTrip(t *testing.T) {
	v := testVERP(t)
	for _, id := range []int64{1, 9, 10, 48213, 1 << 40, math.MaxInt64} {
		addr := v.Address(id)
		if len(addr[:strings.IndexByte(addr, '@')]) > 64 {
			t.Errorf("Address(%d) = %q: local part longer than 64 octets (RFC 5321)", id, addr)
		}
		for _, form := range []string{
			addr,
			strings.ToUpper(addr), // an MTA that upper-cases
			strings.ToLower(addr),
			"<" + addr + ">", // as in Return-Path
			" " + addr + ". ",
			"rfc822; " + addr, // as in Original-Mail-From or Final-Recipient
			"News Digest <" + addr + ">",
			strings.TrimSuffix(addr, "m") + "m.", // a trailing dot on the domain
		} {
			got, err := v.Verify(form)
			if err != nil || got != id {
				t.Errorf("Verify(%q) = %d, %v; want %d", form, got, err, id)
			}
		}
		tok, err := v.VerifyToken(strings.ToUpper(v.Token(id)))
		if err != nil || tok != id {
			t.Errorf("VerifyToken(Token(%d)) = %d, %v", id, tok, err)
		}
	}
}

func TestVERPRefuses(t *testing.T) {
	v := testVERP(t)
	good := v.Address(1001) // bounces+1001.w7ocwojcyxxvy5bm@bounce.example.com
	other, err := NewVERP("bounce.example.com", []byte("another secret of sufficient length"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		addr string
		want error
	}{
		{strings.Replace(good, "w7oc", "w7od", 1), ErrForged},   // one character changed
		{strings.Replace(good, "1001.", "1002.", 1), ErrForged}, // another delivery's id under this MAC
		{strings.Replace(good, "bm@", "b@", 1), ErrNotVERP},     // MAC cut short
		{other.Address(1001), ErrForged},                        // signed with another secret
		{strings.Replace(good, "bounce.example.com", "example.com", 1), ErrOtherDomain},
		{strings.Replace(good, "bounce.example.com", "bounce.example.com.evil.example", 1), ErrOtherDomain},
		{"postmaster@bounce.example.com", ErrNotVERP},
		{"bounces@bounce.example.com", ErrNotVERP},
		{"bounces+1001@bounce.example.com", ErrNotVERP},
		{"bounces+01001.w7ocwojcyxxvy5bm@bounce.example.com", ErrNotVERP}, // not canonical
		{"bounces+-1.w7ocwojcyxxvy5bm@bounce.example.com", ErrNotVERP},
		{"bounces+0.w7ocwojcyxxvy5bm@bounce.example.com", ErrNotVERP},
		{"bounces+99999999999999999999.w7ocwojcyxxvy5bm@bounce.example.com", ErrNotVERP}, // past int64
		{"not an address", ErrOtherDomain},
		{"", ErrOtherDomain},
		{"@bounce.example.com", ErrOtherDomain},
	} {
		id, err := v.Verify(tc.addr)
		if !errors.Is(err, tc.want) {
			t.Errorf("Verify(%q) = %d, %v; want %v", tc.addr, id, err, tc.want)
		}
	}
}

// TestVERPPreviousSecret checks a secret change: addresses made before it
// still verify, new ones are made with the new secret.
func TestVERPPreviousSecret(t *testing.T) {
	old := testVERP(t)
	v, err := NewVERP("Bounce.Example.com.", []byte("the new secret, long enough to use"), []byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	if v.Domain() != "bounce.example.com" {
		t.Errorf("Domain() = %q", v.Domain())
	}
	if id, err := v.Verify(old.Address(5)); err != nil || id != 5 {
		t.Errorf("old address: %d, %v", id, err)
	}
	if v.Address(5) == old.Address(5) {
		t.Error("new addresses are still made with the previous secret")
	}
	if _, err := old.Verify(v.Address(5)); !errors.Is(err, ErrForged) {
		t.Errorf("the previous secret alone verifies a new address: %v", err)
	}
}

func TestNewVERPValidates(t *testing.T) {
	secret := []byte(testSecret)
	for _, tc := range []struct {
		domain string
		secret []byte
		prev   [][]byte
		want   string
	}{
		{"", secret, nil, "bounce domain"},
		{"localhost", secret, nil, "two labels"},
		{"bounce_box.example.com", secret, nil, "letters, digits and hyphens"},
		{"-bounce.example.com", secret, nil, "host name label"},
		{"bounce..example.com", secret, nil, "host name label"},
		{"bounce.example.com", []byte("short"), nil, "bounce secret: shorter than 16"},
		{"bounce.example.com", secret, [][]byte{[]byte("x")}, "previous bounce secret 1"},
	} {
		_, err := NewVERP(tc.domain, tc.secret, tc.prev...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewVERP(%q): %v, want an error saying %q", tc.domain, err, tc.want)
		}
	}
}

// TestVERPGatewayTags checks the envelope senders an outbound gateway
// rewrote with a bounce address tag (BATV) of its own: the bounce comes
// back to the tagged address, which still names the delivery. The tag is
// the gateway's to check; the MAC still decides.
func TestVERPGatewayTags(t *testing.T) {
	v := testVERP(t)
	addr := v.Address(1001)
	local, domain, _ := strings.Cut(addr, "@")
	for _, tagged := range []string{
		"prvs=1234abcd56=" + addr,                  // BATV, as Cisco, Sophos and others write it
		"PRVS=1234ABCD56=" + strings.ToUpper(addr), // and upper-cased on the way back
		"msprvs1=19950Qmw5dOKJ=" + addr,            // SparkPost's
		"btv1==0313b68b9de==" + addr,               // Barracuda's
		"<prvs=0071a2b3c4=" + local + "@" + domain + ">",
	} {
		if id, err := v.Verify(tagged); err != nil || id != 1001 {
			t.Errorf("Verify(%q) = %d, %v; want 1001", tagged, id, err)
		}
	}
	for _, tc := range []struct {
		addr string
		want error
	}{
		{"prvs=1234abcd56=" + strings.Replace(addr, "1001.", "1002.", 1), ErrForged},
		{"prvs=1234abcd56=postmaster@" + domain, ErrNotVERP},
		{"prvs=" + addr, ErrNotVERP},       // no tag
		{"other=1234=" + addr, ErrNotVERP}, // not a tagging scheme
		{"prvs=12=34=" + addr, ErrNotVERP}, // a tag with its own separator
		{"xbounces+1001.w7ocwojcyxxvy5bm@" + domain, ErrNotVERP},
	} {
		if id, err := v.Verify(tc.addr); !errors.Is(err, tc.want) {
			t.Errorf("Verify(%q) = %d, %v; want %v", tc.addr, id, err, tc.want)
		}
	}
}
