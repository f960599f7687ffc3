package admin

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
)

// catalogue is the console's words by language and key. Each section's
// file registers its own (register), so they stay beside the code that
// uses them.
var catalogue = map[string]map[string]string{"en": {}, "es": {}}

// register adds a section's words; a key defined twice is a bug found at
// start.
func register(en, es map[string]string) {
	for lang, words := range map[string]map[string]string{"en": en, "es": es} {
		for k, v := range words {
			if _, dup := catalogue[lang][k]; dup {
				panic("admin: message " + lang + "/" + k + " registered twice")
			}
			catalogue[lang][k] = v
		}
	}
}

// msg returns a console string in lang, falling back to English.
func msg(lang, key string) string {
	if m, ok := catalogue[lang][key]; ok {
		return m
	}
	if m, ok := catalogue["en"][key]; ok {
		return m
	}
	return key
}

func hasMsg(key string) bool {
	_, ok := catalogue["en"][key]
	return ok
}

// tf formats a console string.
func tf(lang, key string, args ...any) string {
	return fmt.Sprintf(msg(lang, key), args...)
}

const langCookie = "nd_admin_lang"

// plaintextKey marks, in a console request's context, that BASE_URL is
// plain http, so cookies go without Secure (console.go sets it).
const plaintextKey = "admin.plaintext"

// pageLang picks the console's language: ?lang= (remembered in a cookie),
// else the cookie, else the browser's preference, else English. The
// cookie is Secure unless BASE_URL is plain http, like every other
// cookie: never by what the client says (X-Forwarded-Proto), which anyone
// can send.
func pageLang(c *gin.Context) string {
	if l := c.Query("lang"); domain.IsLanguage(l) {
		if v, _ := c.Cookie(langCookie); v != l {
			http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: l, Path: "/admin",
				MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode,
				Secure: !c.GetBool(plaintextKey)})
		}
		return l
	}
	if l, err := c.Cookie(langCookie); err == nil && domain.IsLanguage(l) {
		return l
	}
	for _, part := range strings.Split(c.GetHeader("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		base, _, _ := strings.Cut(tag, "-")
		if domain.IsLanguage(base) {
			return base
		}
	}
	return "en"
}

func init() {
	register(map[string]string{
		"console":            "News Digest console",
		"skip_to_content":    "Skip to content",
		"nav":                "Console sections",
		"nav_dashboard":      "Dashboard",
		"nav_items":          "Items",
		"nav_sources":        "Sources",
		"nav_editions":       "Editions",
		"nav_subscribers":    "Subscribers",
		"nav_editors":        "Editors",
		"nav_audit":          "Audit log",
		"nav_queues":         "Queues",
		"signed_in_as":       "Signed in as %s",
		"logout":             "Log out",
		"language_switch":    "Language",
		"login_title":        "Log in to the console",
		"login_user":         "User (admin, or your email)",
		"login_password":     "Password",
		"login_button":       "Log in",
		"login_wrong":        "Wrong user or password.",
		"login_missing":      "Enter your user and your password.",
		"login_limited":      "Too many wrong passwords. Try again in %d seconds.",
		"login_disabled":     "The console is off: ADMIN_PASSWORD is not set on the server.",
		"login_busy":         "The console is checking other logins. Try again in a second.",
		"error_title":        "Something is wrong",
		"not_found":          "There is no such page.",
		"internal":           "Something went wrong on our side. Please try again in a moment.",
		"unavailable":        "A service the console needs is not answering. Please try again in a moment.",
		"body_not_form":      "The form must be sent as a web form.",
		"body_too_large":     "The form sent is larger than %d MiB.",
		"body_too_large_kib": "The form sent is larger than %d KiB.",
		"body_unreadable":    "The form sent could not be read.",
		"back":               "Back",
		"owner_only":         "Only the owner (user admin) may do this.",
		"none":               "none",
		"yes":                "yes",
		"no":                 "no",
		"filter":             "Filter",
		"clear_filters":      "Clear filters",
		"newer":              "Newer",
		"older":              "Older",
		"next_page":          "Next page",
		"first_page":         "First page",
		"actions":            "Actions",
	}, map[string]string{
		"console":            "Consola de News Digest",
		"skip_to_content":    "Saltar al contenido",
		"nav":                "Secciones de la consola",
		"nav_dashboard":      "Resumen",
		"nav_items":          "Noticias",
		"nav_sources":        "Fuentes",
		"nav_editions":       "Ediciones",
		"nav_subscribers":    "Suscriptores",
		"nav_editors":        "Editores",
		"nav_audit":          "Registro de actividad",
		"nav_queues":         "Colas",
		"signed_in_as":       "Sesión de %s",
		"logout":             "Cerrar sesión",
		"language_switch":    "Idioma",
		"login_title":        "Entrar en la consola",
		"login_user":         "Usuario (admin, o tu correo)",
		"login_password":     "Contraseña",
		"login_button":       "Entrar",
		"login_wrong":        "Usuario o contraseña incorrectos.",
		"login_missing":      "Escribe tu usuario y tu contraseña.",
		"login_limited":      "Demasiadas contraseñas incorrectas. Inténtalo de nuevo dentro de %d segundos.",
		"login_disabled":     "La consola está desactivada: ADMIN_PASSWORD no está configurada en el servidor.",
		"login_busy":         "La consola está comprobando otros accesos. Inténtalo de nuevo en un segundo.",
		"error_title":        "Algo no va bien",
		"not_found":          "Esta página no existe.",
		"internal":           "Algo falló de nuestro lado. Inténtalo de nuevo en un momento.",
		"unavailable":        "Un servicio que la consola necesita no responde. Inténtalo de nuevo en un momento.",
		"body_not_form":      "El formulario debe enviarse como un formulario web.",
		"body_too_large":     "El formulario enviado pasa de %d MiB.",
		"body_too_large_kib": "El formulario enviado pasa de %d KiB.",
		"body_unreadable":    "No se pudo leer el formulario enviado.",
		"back":               "Volver",
		"owner_only":         "Solo la persona propietaria (usuario admin) puede hacer esto.",
		"none":               "ninguno",
		"yes":                "sí",
		"no":                 "no",
		"filter":             "Filtrar",
		"clear_filters":      "Quitar filtros",
		"newer":              "Más recientes",
		"older":              "Más antiguos",
		"next_page":          "Página siguiente",
		"first_page":         "Primera página",
		"actions":            "Acciones",
	})
}
