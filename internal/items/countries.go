package items

import "context"

// CountryStore names the countries the stories are about.
type CountryStore interface {
	StoryCountries(ctx context.Context) ([]string, error)
}

// StoryCountries returns the codes of the countries the desk's stories
// are tagged with, each once: with the taxonomy's regions, what a
// console list offers first as "the desk's countries".
func (s *Service) StoryCountries(ctx context.Context) ([]string, error) {
	return s.store.StoryCountries(ctx)
}
