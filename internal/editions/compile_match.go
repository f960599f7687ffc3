package editions

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
)

// matcher turns readers into digests. Two maps keep it cheap however long
// the list: one from a filter and window (with its history) to the digest
// it yields, and one from a digest's content to its index. Filters that
// differ but yield the same digest share a group, so it is rendered once.
// The keys are 16-byte hashes, so a million readers' filters take little
// memory.
type matcher struct {
	at      time.Time
	aud     audience
	regions digest.RegionMembers
	items   []domain.Item
	arrived map[int64]time.Time
	earlier domain.Earlier
	windows map[int64]map[string][]domain.Item // window start → its stories by language

	bySignature map[[16]byte]int32 // window and group key → content index, or nothingMatched
	byContent   map[string]int32   // content key → content index
	keys        []string           // content index → content key
	stories     []int32            // content index → stories in the digest
}

func newMatcher(at time.Time, aud audience, items []domain.Item, regions digest.RegionMembers, earlier domain.Earlier) *matcher {
	return &matcher{at: at, aud: aud, regions: regions, items: items, arrived: storyArrival(items), earlier: earlier,
		windows: map[int64]map[string][]domain.Item{}, bySignature: map[[16]byte]int32{}, byContent: map[string]int32{}}
}

// window is the stories of a window, by language: of a story told in
// several languages, each reader gets one version, theirs when there is
// one.
func (m *matcher) window(start time.Time) map[string][]domain.Item {
	k := start.UnixMicro()
	if w, ok := m.windows[k]; ok {
		return w
	}
	if len(m.windows) >= maxWindows {
		clear(m.windows)
	}
	w := inWindow(m.items, m.arrived, start)
	m.windows[k] = w
	return w
}

// match works out the digest of each reader of page. Laying out the
// digest of a filter not seen before is most of a compile's work, and
// each is independent of the others: they are laid out on every core
// (layOut), and numbered in the readers' order here, so that the same
// list always gives the same digests the same numbers.
func (m *matcher) match(page []domain.SlotRecipient) (matchedPage, error) {
	p := matchedPage{subscribers: make([]int64, len(page)), contents: make([]int32, len(page))}
	if m.aud.slot {
		p.advance = make([]int64, 0, len(page))
	}
	sigs := make([][16]byte, len(page))
	var jobs []layout
	queued := map[[16]byte]bool{}
	for i := range page {
		r := &page[i]
		r.Received = slices.DeleteFunc(r.Received, func(g int64) bool { return m.earlier.Groups[g] == nil })
		key := sha256.Sum256([]byte(strconv.FormatInt(r.WindowStart.UnixMicro(), 10) + "|" + groupKey(r.Recipient)))
		sigs[i] = [16]byte(key[:16])
		if _, ok := m.bySignature[sigs[i]]; ok || r.Paused || queued[sigs[i]] {
			continue
		}
		queued[sigs[i]] = true
		jobs = append(jobs, layout{reader: r, sig: sigs[i], mine: m.window(r.WindowStart)[r.Filter.Language]})
	}
	if err := m.layOut(jobs); err != nil {
		return p, err
	}
	laidOut := make(map[[16]byte]*layout, len(jobs))
	for i := range jobs {
		laidOut[jobs[i].sig] = &jobs[i]
	}
	for i, r := range page {
		p.subscribers[i] = r.ID
		c := int32(pausedReader) // no digest to make: their delivery is skipped
		if !r.Paused {
			c = m.contentOf(sigs[i], laidOut[sigs[i]], &p)
		}
		if c >= 0 && m.aud.thin(int(m.stories[c]), r, m.at) {
			c = waitingThin // their window stays: the stories wait
		}
		p.contents[i] = c
		if m.aud.slot && c != waitingThin {
			p.advance = append(p.advance, r.ID)
		}
	}
	return p, nil
}

// layout is the digest of a filter not seen before: its reader, their
// filter's signature and the stories of their window in their language,
// then what layOut made of them.
type layout struct {
	reader *domain.SlotRecipient
	sig    [16]byte
	mine   []domain.Item
	body   []byte // the sections as stored; nil when nothing matched
	count  int    // stories in it
	err    error
}

// layOut lays the jobs' digests out, on as many goroutines as there are
// cores. Each reads only what the matcher holds for every page (its
// stories, regions, earlier digests) and writes only its own job.
func (m *matcher) layOut(jobs []layout) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(jobs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				m.layOutOne(&jobs[i])
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, j := range jobs {
		if j.err != nil {
			return j.err
		}
	}
	return nil
}

func (m *matcher) layOutOne(j *layout) {
	r := j.reader
	sections := digest.Match(r.Filter, j.mine, m.regions, received(r.Received, m.earlier.Groups))
	// Ranked once here, for the group: the cap, the size bound and
	// the web digest all take the stories in this order.
	sections = digest.RankStories(r.Filter, sections, j.mine, m.at, m.regions)
	if len(sections) == 0 {
		return
	}
	j.body, j.err = json.Marshal(sections)
	for _, sec := range sections {
		j.count += len(sec.Items)
	}
}

// contentOf is the content index of the digest of a reader with filter
// signature sig (laid out by layOut if it is new), adding the digest to
// p.fresh the first time it is seen.
func (m *matcher) contentOf(sig [16]byte, j *layout, p *matchedPage) int32 {
	if c, ok := m.bySignature[sig]; ok {
		return c
	}
	c := int32(nothingMatched)
	if j.body != nil {
		lang := j.reader.Filter.Language
		content := contentKey(lang, j.body)
		var ok bool
		if c, ok = m.byContent[content]; !ok {
			c = int32(len(m.keys))
			m.keys = append(m.keys, content)
			m.stories = append(m.stories, int32(j.count))
			m.byContent[content] = c
			p.fresh = append(p.fresh, domain.NewDigestGroup{Key: content, Language: lang, Sections: j.body})
			p.freshIndex = append(p.freshIndex, c)
		}
	}
	m.bySignature[sig] = c
	return c
}

// contentKey names a digest by what is in it.
func contentKey(language string, sections []byte) string {
	h := sha256.New()
	h.Write([]byte(language))
	h.Write([]byte{0})
	h.Write(sections)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// received gathers this edition's items whose story a subscriber got in
// earlier digests (groups).
func received(groups []int64, earlier map[int64][]int64) map[int64]bool {
	if len(groups) == 0 {
		return nil
	}
	out := map[int64]bool{}
	for _, g := range groups {
		for _, id := range earlier[g] {
			out[id] = true
		}
	}
	return out
}
