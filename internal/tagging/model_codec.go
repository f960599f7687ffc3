package tagging

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"time"
)

// The stored form of a model: gzip over a small binary layout, because a
// model learnt from ten thousand items has a few hundred thousand weights,
// which as JSON would be tens of megabytes read by every process. Layout,
// every integer an unsigned varint, every float IEEE little-endian:
//
//	"ndtm" version (3; 2 for a model stored before the desk's habits
//	  were kept, 1 for one stored before the desk's layer was added to
//	  the shipped layer's answer held, see Model.holdShipped)
//	trained-at (Unix nanoseconds, 0 for none) examples desk-examples
//	vocabulary: count, then each feature as length and UTF-8 bytes
//	two layers, shipped then desk (see Train), each:
//	  topics: count, then each: slug (length, bytes), bias (float64),
//	          non-zero weights: count, then each: index gap, weight (float32)
//	version 3 only, the desk's habits (see habit): count, then each:
//	  slug, given, kept, given-untitled, kept-untitled,
//	  other topics: count, then each: slug, with, added
const (
	modelMagic   = "ndtm"
	modelVersion = 3
	// modelVersionNoHabits is the layout of version 3 without the desk's
	// habits: its changes are explained by words.
	modelVersionNoHabits = 2
	// modelVersionUnheld is the layout of version 2, read as a model
	// whose layers add as they are.
	modelVersionUnheld = 1
	// maxStoredItems bounds every count read back, so a damaged model
	// fails cleanly instead of allocating without end.
	maxStoredItems = 1 << 22
)

// MarshalModel writes a model for storage.
func MarshalModel(m *Model) ([]byte, error) {
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestSpeed)
	w := bufio.NewWriter(zw)
	var scratch [binary.MaxVarintLen64]byte
	uvarint := func(v uint64) { w.Write(scratch[:binary.PutUvarint(scratch[:], v)]) }
	str := func(s string) { uvarint(uint64(len(s))); w.WriteString(s) }
	w.WriteString(modelMagic)
	if m.holdShipped {
		uvarint(modelVersion)
	} else {
		uvarint(modelVersionUnheld)
	}
	trainedAt := uint64(0) // the zero time, which UnixNano cannot say
	if !m.TrainedAt.IsZero() {
		trainedAt = uint64(m.TrainedAt.UnixNano())
	}
	uvarint(trainedAt)
	uvarint(uint64(m.Examples))
	uvarint(uint64(m.DeskExamples))
	uvarint(uint64(len(m.vocab)))
	for _, name := range m.vocab {
		str(name)
	}
	for _, layer := range []map[string]*topicModel{m.shipped, m.desk} {
		writeLayer(w, layer)
	}
	if m.holdShipped {
		writeHabits(w, m.habits)
	}
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("write tag model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("write tag model: %w", err)
	}
	return out.Bytes(), nil
}

// writeLayer writes one layer's topic regressions, in slug order.
func writeLayer(w *bufio.Writer, layer map[string]*topicModel) {
	var scratch [binary.MaxVarintLen64]byte
	uvarint := func(v uint64) { w.Write(scratch[:binary.PutUvarint(scratch[:], v)]) }
	slugs := make([]string, 0, len(layer))
	for slug := range layer {
		slugs = append(slugs, slug)
	}
	slices.Sort(slugs)
	uvarint(uint64(len(slugs)))
	for _, slug := range slugs {
		tm := layer[slug]
		uvarint(uint64(len(slug)))
		w.WriteString(slug)
		w.Write(binary.LittleEndian.AppendUint64(scratch[:0], math.Float64bits(tm.bias)))
		nonZero := 0
		for _, v := range tm.weights {
			if v != 0 {
				nonZero++
			}
		}
		uvarint(uint64(nonZero))
		last := 0
		for n, v := range tm.weights {
			if v != 0 {
				uvarint(uint64(n - last))
				w.Write(binary.LittleEndian.AppendUint32(scratch[:0], math.Float32bits(v)))
				last = n
			}
		}
	}
}

// UnmarshalModel reads a stored model.
func UnmarshalModel(b []byte) (*Model, error) {
	m, err := readModel(b)
	if err != nil {
		return nil, fmt.Errorf("read tag model: %w", err)
	}
	return m, nil
}

func readModel(b []byte) (*Model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(zr)
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("not a stored tag model")
	}
	var fail error
	uvarint := func() uint64 {
		v, err := binary.ReadUvarint(r)
		if err != nil && fail == nil {
			fail = err
		}
		return v
	}
	count := func() int {
		n := uvarint()
		if n > maxStoredItems && fail == nil {
			fail = fmt.Errorf("count %d out of range", n)
		}
		return int(min(n, maxStoredItems))
	}
	str := func() string {
		buf := make([]byte, count())
		if _, err := io.ReadFull(r, buf); err != nil && fail == nil {
			fail = err
		}
		return string(buf)
	}
	fixed := func(size int) []byte {
		buf := make([]byte, size)
		if _, err := io.ReadFull(r, buf); err != nil && fail == nil {
			fail = err
		}
		return buf
	}
	v := uvarint()
	if v != modelVersion && v != modelVersionNoHabits && v != modelVersionUnheld {
		return nil, fmt.Errorf("stored tag model version %d, want %d to %d", v, modelVersionUnheld, modelVersion)
	}
	m := &Model{shipped: map[string]*topicModel{}, desk: map[string]*topicModel{}, holdShipped: v != modelVersionUnheld}
	if at := uvarint(); at != 0 {
		m.TrainedAt = time.Unix(0, int64(at)).UTC()
	}
	m.Examples, m.DeskExamples = count(), count()
	m.vocab = make([]string, count())
	m.index = make(map[string]int32, len(m.vocab))
	for n := range m.vocab {
		m.vocab[n] = str()
		m.index[m.vocab[n]] = int32(n)
		if fail != nil {
			return nil, fail
		}
	}
	for _, layer := range []map[string]*topicModel{m.shipped, m.desk} {
		for range count() {
			slug := str()
			tm := &topicModel{weights: make([]float32, len(m.vocab))}
			tm.bias = math.Float64frombits(binary.LittleEndian.Uint64(fixed(8)))
			n := 0
			for range count() {
				n += int(uvarint())
				v := math.Float32frombits(binary.LittleEndian.Uint32(fixed(4)))
				if n >= len(tm.weights) {
					return nil, fmt.Errorf("topic %s: weight of feature %d beyond the vocabulary", slug, n)
				}
				tm.weights[n] = v
				if fail != nil {
					return nil, fail
				}
			}
			if fail != nil {
				return nil, fail
			}
			layer[slug] = tm
		}
	}
	if v == modelVersion {
		for range count() {
			slug := str()
			h := &habit{given: count(), kept: count(), givenUntitled: count(), keptUntitled: count(),
				with: map[string]int{}, added: map[string]int{}}
			for range count() {
				g := str()
				h.with[g] = count()
				if n := count(); n > 0 { // as learnt: none added is none kept
					h.added[g] = n
				}
				if fail != nil {
					return nil, fail
				}
				if h.added[g] > h.with[g] {
					return nil, fmt.Errorf("topic %s: added to %d of %d stories on %s", slug, h.added[g], h.with[g], g)
				}
			}
			if fail != nil {
				return nil, fail
			}
			// Counts a reason would quote, so they must hang together.
			if h.kept > h.given || h.keptUntitled > h.givenUntitled || h.givenUntitled > h.given || h.keptUntitled > h.kept ||
				h.kept-h.keptUntitled > h.given-h.givenUntitled {
				return nil, fmt.Errorf("topic %s: kept on %d of %d stories (%d of %d untitled)", slug, h.kept, h.given, h.keptUntitled, h.givenUntitled)
			}
			if m.habits == nil {
				m.habits = map[string]*habit{}
			}
			m.habits[slug] = h
		}
	}
	if fail != nil {
		return nil, fail
	}
	return m, nil
}

// writeHabits writes the desk's habits, in slug order.
func writeHabits(w *bufio.Writer, habits map[string]*habit) {
	var scratch [binary.MaxVarintLen64]byte
	uvarint := func(v int) { w.Write(scratch[:binary.PutUvarint(scratch[:], uint64(v))]) }
	str := func(s string) { uvarint(len(s)); w.WriteString(s) }
	uvarint(len(habits))
	for _, slug := range slices.Sorted(maps.Keys(habits)) {
		h := habits[slug]
		str(slug)
		for _, n := range []int{h.given, h.kept, h.givenUntitled, h.keptUntitled} {
			uvarint(n)
		}
		uvarint(len(h.with))
		for _, g := range slices.Sorted(maps.Keys(h.with)) {
			str(g)
			uvarint(h.with[g])
			uvarint(h.added[g])
		}
	}
}
