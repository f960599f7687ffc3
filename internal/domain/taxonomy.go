package domain

// Country is an ISO 3166-1 alpha-2 country.
type Country struct {
	Code   string // "GD"
	NameEN string // "Grenada"
	NameES string // "Granada"
}

// Region is a named group of countries, such as Central America.
type Region struct {
	Code      string   // stable slug: "central-america"
	NameEN    string   // "Central America"
	NameES    string   // "Centroamérica"
	Countries []string // member country codes, sorted
}

// Topic is a subject an item can be about.
type Topic struct {
	Slug   string // stable slug: "trafficking-smuggling"
	NameEN string
	NameES string
}

// Vocabulary is the taxonomy as stored: every country, the regions and
// the topics in the order editors set. Package taxonomy indexes it for
// lookups.
type Vocabulary struct {
	Countries []Country
	Regions   []Region
	Topics    []Topic
}
