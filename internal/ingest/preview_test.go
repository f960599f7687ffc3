package ingest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
)

// findingStore is a recordingStore that already holds the stories whose
// titles it is given, under the ids given.
type findingStore struct {
	recordingStore
	held map[string]int64 // title → id
}

func (s *findingStore) StoredStories(_ context.Context, items []domain.Item) ([]int64, error) {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = s.held[it.Title]
	}
	return out, nil
}

// A preview holds exactly the items the import stores, and stores none.
func TestPreviewListingMatchesImport(t *testing.T) {
	raw, err := os.ReadFile("testdata/iom-rosanjose-news-2020.txt")
	if err != nil {
		t.Fatal(err)
	}
	store := &findingStore{}
	im := &Importer{Store: store, Tagger: newTestTagger(t)}
	p, err := im.PreviewListing(context.Background(), strings.NewReader(string(raw)))
	if err != nil || !p.OK() {
		t.Fatalf("preview: %+v, %v", p, err)
	}
	if len(store.items) != 0 {
		t.Fatalf("the preview stored %d items", len(store.items))
	}
	if _, err := im.ImportListing(context.Background(), strings.NewReader(string(raw))); err != nil {
		t.Fatal(err)
	}
	var previewed []domain.Item
	for _, pi := range p.Items {
		previewed = append(previewed, pi.Item)
	}
	if d := cmp.Diff(store.items, previewed); d != "" {
		t.Errorf("preview and import differ (-import +preview):\n%s", d)
	}
	if p.New != len(p.Items) || p.Duplicates != 0 || p.Items[0].Line != 1 {
		t.Errorf("counts new %d, duplicates %d of %d; first line %d", p.New, p.Duplicates, len(p.Items), p.Items[0].Line)
	}
}

func TestPreviewListingDuplicatesAndErrors(t *testing.T) {
	store := &findingStore{held: map[string]int64{"Guatemala: IOM opens a shelter": 42}}
	im := &Importer{Store: store, Tagger: newTestTagger(t)}
	ctx := context.Background()

	listing := "3 March, 2021\n\nGuatemala: IOM opens a shelter\n\n" +
		"4 March, 2021\n\nHonduras: a new migration policy is discussed\n\n" +
		"4 March, 2021\n\nHonduras: a new migration policy is discussed\n"
	p, err := im.PreviewListing(ctx, strings.NewReader(listing))
	if err != nil || !p.OK() {
		t.Fatalf("preview: %+v, %v", p, err)
	}
	got := []int64{p.Items[0].DuplicateOf, p.Items[1].DuplicateOf, p.Items[2].DuplicateOf}
	if !cmp.Equal(got, []int64{42, 0, -1}) || p.New != 1 || p.Duplicates != 2 {
		t.Errorf("duplicates = %v (new %d, duplicates %d); want the stored one, a new one and its repeat", got, p.New, p.Duplicates)
	}

	p, err = im.PreviewListing(ctx, strings.NewReader("3 March, 2021\n\nA title\n\n32 Foo, 2021\n\nAnother\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.OK() || len(p.Errors) != 1 || p.Errors[0].Line != 5 || p.Problem == "" {
		t.Errorf("bad listing preview = %+v; want not OK with an error on line 5", p)
	}

	p, err = im.PreviewListing(ctx, strings.NewReader("\n\n"))
	if err != nil || p.OK() || len(p.Errors) != 1 {
		t.Errorf("empty listing preview = %+v, %v; want refused, naming line 1", p, err)
	}
	if len(store.items) != 0 {
		t.Errorf("previews stored %d items", len(store.items))
	}
}

func TestPreviewFeed(t *testing.T) {
	im := &Importer{Store: &recordingStore{}, Tagger: newTestTagger(t)}
	p, err := im.PreviewFeed(context.Background(), strings.NewReader(readFeed(t, "atom.xml")), "")
	if err != nil || !p.OK() || len(p.Items) != 2 || p.New != 2 {
		t.Fatalf("atom preview = %+v, %v; want two new items", p, err)
	}
	p, err = im.PreviewFeed(context.Background(), strings.NewReader(readFeed(t, "missing.xml")), "")
	if err != nil || p.OK() || len(p.Errors) != 3 {
		t.Errorf("preview of a feed with three bad entries = %+v, %v", p, err)
	}
	p, err = im.PreviewFeed(context.Background(), strings.NewReader("<html>not a feed</html>"), "")
	if err != nil || p.OK() || p.Problem == "" {
		t.Errorf("preview of a page that is no feed = %+v, %v", p, err)
	}
}
