package app_test

// audience says who may use a route. Every route web registers has one
// in routeRules: TestEveryRouteAccess fails for a route without, so a new
// route cannot be added without someone deciding who may use it.
type audience int

const (
	// anyone: public, about no one in particular; every caller gets the
	// same answer.
	anyone audience = iota
	// reader: a link from a person's mail, opened by its token (the
	// route's :token); a token of another kind, or made up, is a 404.
	reader
	// loginPage: the console's login, open to anyone.
	loginPage
	// anySession: any console session, whatever its roles.
	anySession
	// editRole: a console session with "edit and send".
	editRole
	// peopleRole: a console session with "manage subscribers": pages
	// with people's addresses.
	peopleRole
	// ownerOnly: the built-in owner's session alone.
	ownerOnly
	// apiToken: the JSON API with ADMIN_TOKEN.
	apiToken
)

// routeRule is a route's audience and what it answers them.
type routeRule struct {
	who audience
	// ok is what the route answers one who may use it, sent as the test
	// sends it (a POST with an empty form or body, and an id that names
	// nothing); 0: anything but a refusal or a server error.
	ok int
	// query is added to a GET's path: the page as it is used.
	query string
	// noCSRF: a POST that carries no CSRF token (a mail client's
	// one-click unsubscribe, a relay's webhook, the JSON API).
	noCSRF bool
}

// routeRules: "METHOD path" as gin registers it, and who may use it (the
// README's "Who can do what", docs/privacy.md's "Who can see it").
var routeRules = map[string]routeRule{
	"GET /healthz":             {who: anyone, ok: 200},
	"HEAD /healthz":            {who: anyone, ok: 200},
	"GET /readyz":              {who: anyone, ok: 200},
	"HEAD /readyz":             {who: anyone, ok: 200},
	"GET /static/site.css":     {who: anyone, ok: 200},
	"GET /static/estimate.js":  {who: anyone, ok: 200},
	"GET /static/schedule.js":  {who: anyone, ok: 200},
	"GET /estimate":            {who: anyone, ok: 200, query: "?countries=CR&lang=en"},
	"GET /archive":             {who: anyone, ok: 200},
	"GET /feeds/country/:file": {who: anyone, ok: 200},
	"GET /feeds/topic/:file":   {who: anyone, ok: 200},
	"GET /favicon.svg":         {who: anyone, ok: 200},
	"GET /favicon.ico":         {who: anyone},
	// A story link: the story, whoever follows it; no token in it.
	"GET /r/:link/:stamp":  {who: anyone, ok: 302},
	"HEAD /r/:link/:stamp": {who: anyone, ok: 302},
	"GET /r/:link":         {who: anyone, ok: 302},
	"HEAD /r/:link":        {who: anyone, ok: 302},
	// No relay's webhook is configured in the test's stack.
	"POST /webhooks/bounces/:provider": {who: anyone, ok: 404, noCSRF: true},
	"GET /":                            {who: anyone, ok: 200},
	"POST /subscribe":                  {who: anyone},
	"GET /subscribe":                   {who: anyone, ok: 303},
	"POST /api/v1/subscriptions":       {who: anyone, noCSRF: true},
	"GET /api/v1/taxonomy":             {who: anyone, ok: 200},
	"GET /admin/static/:file":          {who: anyone, ok: 200},

	"GET /confirm/:token":                       {who: reader, ok: 200},
	"POST /confirm/:token":                      {who: reader},
	"GET /preferences/:token":                   {who: reader, ok: 200},
	"POST /preferences/:token":                  {who: reader},
	"POST /preferences/:token/pause":            {who: reader},
	"POST /preferences/:token/resume":           {who: reader},
	"GET /preferences/:token/pause":             {who: reader, ok: 303},
	"GET /preferences/:token/resume":            {who: reader, ok: 303},
	"GET /preferences/:token/export":            {who: reader, ok: 200},
	"GET /export/:token":                        {who: reader, ok: 200},
	"POST /export/:token":                       {who: reader},
	"GET /preferences/:token/delete":            {who: reader, ok: 200},
	"POST /preferences/:token/delete":           {who: reader},
	"GET /preferences/:token/fewer/:kind/:key":  {who: reader, ok: 200},
	"POST /preferences/:token/fewer/:kind/:key": {who: reader},
	"GET /unsubscribe/:token":                   {who: reader, ok: 200},
	"POST /unsubscribe/:token":                  {who: reader, noCSRF: true},
	"GET /digest/:edition/:token":               {who: reader, ok: 200},

	"GET /admin/login":  {who: loginPage},
	"POST /admin/login": {who: loginPage},

	"GET /admin":                   {who: anySession, ok: 200},
	"GET /admin/":                  {who: anySession, ok: 301},
	"POST /admin/logout":           {who: anySession},
	"GET /admin/queues":            {who: anySession, ok: 200},
	"GET /admin/editors":           {who: anySession, ok: 200},
	"POST /admin/editors/password": {who: anySession},

	// A form's address opened again (a reload, the back button) leads to
	// the page the form is on, which says whether its record exists.
	"GET /admin/logout":                         {who: anyone, ok: 303},
	"GET /admin/editors/password":               {who: anySession, ok: 303},
	"GET /admin/items/:id/hide":                 {who: editRole, ok: 303},
	"GET /admin/items/:id/unhide":               {who: editRole, ok: 303},
	"GET /admin/items/:id/link":                 {who: editRole, ok: 303},
	"GET /admin/items/:id/unlink":               {who: editRole, ok: 303},
	"GET /admin/items/:id/pick":                 {who: editRole, ok: 303},
	"GET /admin/items/:id/unpick":               {who: editRole, ok: 303},
	"GET /admin/items/:id/feature":              {who: editRole, ok: 303},
	"GET /admin/tagging/suggestions/accept-all": {who: editRole, ok: 303},
	"GET /admin/tagging/suggestions/:id/accept": {who: editRole, ok: 303},
	"GET /admin/tagging/suggestions/:id/keep":   {who: editRole, ok: 303},
	"GET /admin/sources/:id/poll":               {who: editRole, ok: 303},
	"GET /admin/editions/test-send":             {who: editRole, ok: 303},
	"GET /admin/editions/:id/retry":             {who: editRole, ok: 303},
	"GET /admin/editions/:id/resume":            {who: editRole, ok: 303},
	"GET /admin/subscribers/import/confirm":     {who: peopleRole, ok: 303},
	"GET /admin/editors/:id/password":           {who: ownerOnly, ok: 303},
	"GET /admin/editors/:id/roles":              {who: ownerOnly, ok: 303},
	"GET /admin/editors/:id/sessions":           {who: ownerOnly, ok: 303},

	"GET /admin/items":                           {who: editRole, ok: 200},
	"GET /admin/items/import":                    {who: editRole, ok: 200},
	"POST /admin/items/import":                   {who: editRole},
	"GET /admin/items/import/:draft":             {who: editRole, ok: 200},
	"POST /admin/items/import/:draft":            {who: editRole},
	"GET /admin/items/:id":                       {who: editRole, ok: 200},
	"POST /admin/items/:id":                      {who: editRole},
	"POST /admin/items/:id/hide":                 {who: editRole},
	"POST /admin/items/:id/unhide":               {who: editRole},
	"POST /admin/items/:id/link":                 {who: editRole},
	"POST /admin/items/:id/unlink":               {who: editRole},
	"POST /admin/items/:id/pick":                 {who: editRole},
	"POST /admin/items/:id/unpick":               {who: editRole},
	"POST /admin/items/:id/feature":              {who: editRole},
	"GET /admin/tagging":                         {who: editRole, ok: 200},
	"GET /admin/tagging/suggestions":             {who: editRole, ok: 200},
	"POST /admin/tagging/suggestions/accept-all": {who: editRole},
	"POST /admin/tagging/suggestions/:id/accept": {who: editRole},
	"POST /admin/tagging/suggestions/:id/keep":   {who: editRole},
	"GET /admin/sources":                         {who: editRole, ok: 200},
	"POST /admin/sources":                        {who: editRole},
	"GET /admin/sources/:id/remove":              {who: editRole, ok: 200},
	"POST /admin/sources/:id/remove":             {who: editRole},
	"POST /admin/sources/:id/poll":               {who: editRole},
	"GET /admin/sources/:id/edit":                {who: editRole, ok: 200},
	"POST /admin/sources/:id/edit":               {who: editRole},
	"GET /admin/editions":                        {who: editRole, ok: 200},
	"GET /admin/editions/new":                    {who: editRole, ok: 200},
	"POST /admin/editions":                       {who: editRole},
	// The digest by countries and topics; by a named subscriber it is
	// for those who manage subscribers too (TestAdminEditorRoles).
	"GET /admin/editions/preview":            {who: editRole, ok: 200, query: "?edition={edition}&countries=CR&language=en&mode=any"},
	"GET /admin/editions/preview.html":       {who: editRole, ok: 200, query: "?edition={edition}&countries=CR&language=en&mode=any"},
	"POST /admin/editions/test-send":         {who: editRole},
	"GET /admin/editions/:id":                {who: editRole, ok: 200},
	"GET /admin/editions/:id/progress":       {who: editRole, ok: 200},
	"GET /admin/editions/:id/cancel":         {who: editRole, ok: 200},
	"POST /admin/editions/:id/cancel":        {who: editRole},
	"POST /admin/editions/:id/retry":         {who: editRole},
	"POST /admin/editions/:id/resume":        {who: editRole},
	"GET /admin/readers":                     {who: editRole, ok: 200},
	"GET /admin/schedules":                   {who: editRole, ok: 200},
	"POST /admin/schedules":                  {who: editRole},
	"GET /admin/settings":                    {who: editRole, ok: 200},
	"POST /admin/settings":                   {who: editRole},
	"GET /admin/subscribers":                 {who: peopleRole, ok: 200},
	"GET /admin/subscribers.csv":             {who: peopleRole, ok: 200},
	"GET /admin/subscribers/import":          {who: peopleRole, ok: 200},
	"POST /admin/subscribers/import":         {who: peopleRole},
	"POST /admin/subscribers/import/confirm": {who: peopleRole},
	"GET /admin/subscribers/:id":             {who: peopleRole, ok: 200},
	"GET /admin/subscribers/:id/:action":     {who: peopleRole, ok: 200},
	"POST /admin/subscribers/:id/:action":    {who: peopleRole},
	"GET /admin/audit":                       {who: peopleRole, ok: 200},
	"POST /admin/editors":                    {who: ownerOnly},
	"GET /admin/editors/:id":                 {who: ownerOnly, ok: 200},
	"POST /admin/editors/:id/password":       {who: ownerOnly},
	"POST /admin/editors/:id/roles":          {who: ownerOnly},
	"POST /admin/editors/:id/sessions":       {who: ownerOnly},
	"GET /admin/editors/:id/sessions/end":    {who: ownerOnly, ok: 200},
	"GET /admin/editors/:id/remove":          {who: ownerOnly, ok: 200},
	"POST /admin/editors/:id/remove":         {who: ownerOnly},

	"POST /api/v1/imports":                     {who: apiToken, noCSRF: true},
	"POST /api/v1/items":                       {who: apiToken, noCSRF: true},
	"GET /api/v1/items":                        {who: apiToken, ok: 200},
	"PATCH /api/v1/items/:id":                  {who: apiToken, noCSRF: true},
	"POST /api/v1/editions":                    {who: apiToken, noCSRF: true},
	"GET /api/v1/editions":                     {who: apiToken, ok: 200},
	"GET /api/v1/editions/:id":                 {who: apiToken, ok: 200},
	"POST /api/v1/editions/:id/cancel":         {who: apiToken, noCSRF: true},
	"POST /api/v1/editions/:id/retry":          {who: apiToken, noCSRF: true},
	"POST /api/v1/editions/:id/resume":         {who: apiToken, noCSRF: true},
	"POST /api/v1/previews":                    {who: apiToken, noCSRF: true},
	"POST /api/v1/sources":                     {who: apiToken, noCSRF: true},
	"GET /api/v1/sources":                      {who: apiToken, ok: 200},
	"DELETE /api/v1/sources/:id":               {who: apiToken, noCSRF: true},
	"GET /api/v1/subscribers":                  {who: apiToken, ok: 200},
	"GET /api/v1/subscribers.csv":              {who: apiToken, ok: 200},
	"POST /api/v1/subscribers/import":          {who: apiToken, noCSRF: true},
	"POST /api/v1/subscribers/:id/unsubscribe": {who: apiToken, noCSRF: true},
	"POST /api/v1/subscribers/:id/suppress":    {who: apiToken, noCSRF: true},
	"POST /api/v1/subscribers/:id/erase":       {who: apiToken, noCSRF: true},
	"GET /api/v1/stats/stories":                {who: apiToken, ok: 200},
}
