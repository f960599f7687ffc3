package render

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	"newsdigest/templates"
)

// TestFramesMatchTemplates renders varied digests by filling frames and by
// executing the templates, and wants the same bytes: the frames are an
// optimisation, never a second rendering.
func TestFramesMatchTemplates(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if !r.framed {
		t.Fatal("the shipped templates do not fill frames exactly; every digest would execute the templates")
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	words := []string{"Migración", "<b>", "&", `"quoted"`, "'single'", "+", "Haití", "Tapachula", "OIM", "personas", "a", "long-wordthatgoesonandonandonforeverandeverwithoutend"}
	phrase := func(n int) string {
		var ws []string
		for range n {
			ws = append(ws, words[rnd.IntN(len(words))])
		}
		return strings.Join(ws, " ")
	}
	for i := range 200 {
		d := Digest{
			Language:       []string{"en", "es"}[i%2],
			ListName:       phrase(1 + rnd.IntN(3)),
			EditionDate:    "2026-11-27",
			UnsubscribeURL: "https://news.example.org/unsubscribe/" + TokenPlaceholder,
			PreferencesURL: "https://news.example.org/preferences/" + TokenPlaceholder,
			PostalAddress:  phrase(rnd.IntN(4)),
			Omitted:        rnd.IntN(3) * rnd.IntN(40),
			Full:           rnd.IntN(4) == 0,
		}
		if rnd.IntN(3) > 0 {
			d.ViewURL = "https://news.example.org/digest/7/" + TokenPlaceholder
		}
		for range rnd.IntN(5) {
			sec := Section{Title: phrase(1 + rnd.IntN(3))}
			for range rnd.IntN(6) {
				it := Item{Title: phrase(3 + rnd.IntN(15)), Summary: phrase(rnd.IntN(120)), PublishedOn: "2026-11-2" + fmt.Sprint(rnd.IntN(7))}
				if rnd.IntN(4) > 0 {
					it.URL = "https://example.org/story?id=" + fmt.Sprint(rnd.IntN(1000)) + "&x=<y>"
				}
				for range rnd.IntN(3) {
					it.Tags = append(it.Tags, phrase(1))
				}
				sec.Items = append(sec.Items, it)
			}
			d.Sections = append(d.Sections, sec)
		}
		r.framed = false
		want, err := r.Digest(d)
		if err != nil {
			t.Fatal(err)
		}
		r.framed = true
		got, err := r.Digest(d)
		if err != nil {
			t.Fatal(err)
		}
		if !got.equal(want) {
			t.Fatalf("digest %d: framed rendering differs from the templates'\nframed HTML:\n%s\ntemplates' HTML:\n%s", i, got.HTML, want.HTML)
		}
	}
}

// TestFramesStepAsideForTemplatesTheyCannotFill: a template that transforms
// a part (here, underlines the intro) cannot be filled from a frame; the
// renderer then executes the templates, and the digest is still right.
func TestFramesStepAsideForTemplatesTheyCannotFill(t *testing.T) {
	fsys := fstest.MapFS{}
	err := fs.WalkDir(templates.Email, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.Email, path)
		fsys[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	txt := string(fsys["email/digest.txt.tmpl"].Data)
	if !strings.Contains(txt, "{{.Intro}}\n") {
		t.Fatal("digest.txt.tmpl no longer writes {{.Intro}} on a line of its own; adjust this test")
	}
	fsys["email/digest.txt.tmpl"].Data = []byte(strings.Replace(txt, "{{.Intro}}\n", "{{.Intro}}\n{{underline .Intro \"~\"}}\n", 1))
	r, err := newRenderer(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if r.framed {
		t.Fatal("frames were kept for a template that transforms a part")
	}
	m, err := r.Digest(frameCheckDigest("en"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Text, "NDFRAMEMARK") || !strings.Contains(m.Text, "\n~~~~") {
		t.Errorf("text part:\n%s", m.Text)
	}
}

// TestLayoutFrameIsSharedAcrossSubjects: the subject differs from one
// group's digest to the next (its count and sections), so it is a part of
// the layout frame, not a key to a frame of its own; otherwise an edition
// would execute the layout once per group.
func TestLayoutFrameIsSharedAcrossSubjects(t *testing.T) {
	r := mustNew(t)
	d := representativeDigest("en")
	first := mustDigest(t, r, d)
	frames := len(r.frames.m)
	d.Sections = d.Sections[1:]
	second := mustDigest(t, r, d)
	if first.Subject == second.Subject {
		t.Fatalf("both digests have the subject %q", first.Subject)
	}
	if n := len(r.frames.m); n != frames {
		t.Errorf("%d frames after a digest with fewer sections, %d before: the layout was made again", n, frames)
	}
	if !strings.Contains(second.HTML, "<title>"+second.Subject+"</title>") {
		t.Errorf("the HTML's title is not the subject %q", second.Subject)
	}
}
