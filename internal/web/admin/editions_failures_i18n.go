package admin

// The words of an edition's failed deliveries, told apart by how they
// failed, and of the editions that were never sent.
func init() {
	register(map[string]string{
		"editions_failed_temporary":      "Failed for now",
		"editions_failed_temporary_what": "The mail server answered “try later” (4xx), or the connection broke before the whole message had left, until the retries ran out. Nothing was delivered: these can be sent again.",
		"editions_failed_permanent":      "Refused",
		"editions_failed_permanent_what": "The mail server refused these for good (5xx). Sending again would be refused the same way, so they are not retried; a refused address counts towards marking it bounced.",
		"editions_failed_uncertain":      "Uncertain",
		"editions_failed_uncertain_what": "The connection broke after the whole message had left and before the mail server confirmed it. The reader may well have the digest, so these are never sent again: that could give them two. The mail server's logs can tell.",
		"editions_failed_first":          "The first %d are listed.",
		"editions_status_skipped":        "skipped",
		"editions_skip_withdrawn":        "every story in it was withdrawn",
		"editions_skip_edition failed":   "the edition failed",
	}, map[string]string{
		"editions_failed_temporary":      "Fallidos por ahora",
		"editions_failed_temporary_what": "El servidor de correo respondió «inténtelo más tarde» (4xx), o la conexión se cortó antes de que saliera el mensaje entero, hasta agotar los reintentos. No se entregó nada: pueden enviarse de nuevo.",
		"editions_failed_permanent":      "Rechazados",
		"editions_failed_permanent_what": "El servidor de correo los rechazó de forma definitiva (5xx). Volver a enviarlos se rechazaría igual, así que no se reintentan; una dirección rechazada cuenta para darla por rebotada.",
		"editions_failed_uncertain":      "Inciertos",
		"editions_failed_uncertain_what": "La conexión se cortó después de que saliera el mensaje entero y antes de que el servidor de correo lo confirmara. Es muy posible que el lector tenga el boletín, así que no se envían nunca de nuevo: podría recibirlo dos veces. Los registros del servidor de correo pueden decirlo.",
		"editions_failed_first":          "Se muestran los primeros %d.",
		"editions_status_skipped":        "omitida",
		"editions_skip_withdrawn":        "se retiraron todas sus noticias",
		"editions_skip_edition failed":   "la edición falló",
	})
}
