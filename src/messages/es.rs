//! The Spanish catalogue: the customer kiosk's texts and the manager page's.
//! Written as a Spanish speaker would say it, not word for word.

use super::*;

/// Spanish, customer kiosk.
pub const KIOSK: Messages = Messages {
    lang: "es",
    name: "Español",
    page_title: "Opinión de clientes",
    question: "¿Qué tal su visita de hoy?",
    hint: "Toque una cara en lo que quiera valorar. Solo es un momento.",
    factors: ["Amabilidad", "Rapidez", "Comodidad", "Higiene", "Seguridad"],
    ratings: [
        "Muy insatisfecho",
        "Insatisfecho",
        "Neutral",
        "Satisfecho",
        "Muy satisfecho",
    ],
    comment_label: "¿Algo más que añadir?",
    send: "Enviar",
    thank_you: "¡Gracias!",
    thank_you_detail: "Su opinión nos ayuda a mejorar.",
    storage_full: "Memoria llena: avise al encargado",
    out_of_service: "Fuera de servicio: avise al encargado",
    out_of_service_detail: "Este terminal no puede recoger opiniones ahora mismo.",
    manager: "Encargado",
    languages: "Idioma",
    larger_text: "Texto más grande",
    why: "¿Qué salió mal?",
    reasons: [
        ["Personal antipático", "Nadie para ayudar", "No me saludaron", "Me metieron prisa"],
        ["Cola larga", "Caja lenta", "Falta personal", "Cuesta encontrar las cosas"],
        ["Demasiada gente", "Demasiado calor o frío", "Ruido", "No hay dónde sentarse"],
        ["Suelo sucio", "Aseos", "Carros y cestas", "Mal olor"],
        ["Sensación de inseguridad", "Poca iluminación", "Aparcamiento", "Pasillos bloqueados"],
    ],
};

/// Spanish, manager page.
pub const MANAGER: ManagerTexts = ManagerTexts {
    setup: SetupMessages {
        title: "Configurar este terminal",
        intro: "Rellénelo una sola vez. Los clientes podrán opinar en cuanto termine.",
        store_id: "Id. de tienda",
        kiosk_id: "Id. de terminal",
        endpoint: "Dirección de sincronización",
        endpoint_hint: "Déjelo vacío para enviar al servidor del que viene esta página.",
        token: "Token del terminal",
        enrollment_code: "Código de alta",
        enrollment_hint: "El código de un solo uso de \"feedback-collector kiosk enroll\". El terminal lo cambia por su token.",
        damaged: "Los ajustes de este terminal están dañados. Pida a quien lleva la informática de las tiendas que lo vuelva a configurar (kiosk.json).",
        new_pin: "PIN nuevo del encargado",
        repeat_pin: "Repita el PIN",
        pin_hint: "De 4 a 8 cifras. Lo necesitará para abrir la vista del encargado.",
        start: "Poner en marcha",
        ids_required: "Escriba un id. de tienda y un id. de terminal.",
        pin_format: "El PIN debe tener de 4 a 8 cifras.",
        pin_mismatch: "Los dos PIN no coinciden.",
        save_failed: "No se han podido guardar los ajustes. Revise el almacenamiento del navegador.",
    },
    pin: PinMessages {
        title: "Encargado",
        label: "PIN",
        open: "Abrir",
        delete: "Borrar",
        cancel: "Cancelar",
        wrong: es_wrong_pin,
        locked: es_locked,
    },
    view: ManagerMessages {
        title: "Vista del encargado",
        close: "Cerrar",
        period: "Periodo",
        periods: ["Hoy", "Últimos 7 días", "Últimos 30 días", "Todo"],
        language: "Idioma de las respuestas",
        all_languages: "Todos los idiomas",
        summary: "Resumen",
        no_responses: "Aún no hay respuestas",
        counts: es_counts,
        weakest: es_weakest,
        reasons: "Por qué no quedaron satisfechos",
        reason_count: es_reason_count,
        table_caption: "Valoraciones por aspecto",
        columns: ["Aspecto", "Valoraciones", "Media", "Satisfechos", "Índice"],
        not_rated: "–",
        distribution: "Cómo se valoró cada aspecto",
        distribution_alt: es_distribution_alt,
        trend: "Evolución",
        trend_alt: es_trend_alt,
        trend_bars: "Barras: respuestas",
        trend_line: "Línea: valoración media (de 1 a 5)",
        comments: "Últimos comentarios",
        no_comments: "Aún no hay comentarios",
        sync: "Sincronización",
        online: "Con conexión",
        offline: "Sin conexión",
        waiting: es_waiting,
        all_synced: "Todo sincronizado",
        other_identity: es_other_identity,
        last_sync: es_last_sync,
        never_synced: "Aún sin sincronizar",
        last_problem: es_last_problem,
        set_aside: es_set_aside,
        nothing_set_aside: "Nada apartado",
        sync_now: "Sincronizar ahora",
        export: "Exportar",
        download_csv: "Descargar CSV",
        faults: "Incidencias recientes",
        settings: "Ajustes",
        idle_timeout: "Reinicio por inactividad (segundos)",
        cooldown: "Tiempo de agradecimiento (segundos)",
        languages: "Idiomas que se ofrecen",
        default_language: "Idioma por defecto",
        token_set: "Hay un token. Déjelo vacío para conservarlo.",
        token_unset: "Sin token: las respuestas se quedan en este terminal.",
        save: "Guardar ajustes",
        saved: "Ajustes guardados",
        bad_seconds: "Escriba segundos enteros: inactividad de 1 a 3600, agradecimiento de 0 a 60.",
        no_language: "Ofrezca al menos un idioma, incluido el idioma por defecto.",
        change_pin: "Cambiar el PIN",
        current_pin: "PIN actual",
        current_pin_wrong: "El PIN actual no es correcto.",
        pin_changed: "PIN cambiado",
        storage_persistent: "Almacenamiento persistente: el navegador no lo borrará",
        storage_not_persistent:
            "Almacenamiento no persistente: el navegador puede borrarlo si le falta espacio",
        problems: SyncProblemMessages {
            offline: "Sin conexión a la red",
            unreachable: "No se ha podido contactar con el servidor",
            timeout: "El servidor no ha respondido a tiempo",
            server: es_server_problem,
            token_rejected: "El servidor ha rechazado el token del terminal. Se reintenta cada 15 minutos y al pulsar Sincronizar ahora; si sigue, vuelva a dar de alta el terminal en Ajustes",
            no_token: "Sin dar de alta: escriba un código de alta en Ajustes",
            enrollment_refused:
                "El servidor ha rechazado el código de alta (desconocido, usado o caducado): escriba uno nuevo en Ajustes",
            bad_reply: "No se ha entendido la respuesta del servidor",
            too_large: "El servidor rechaza por demasiado grande incluso una sola respuesta",
            storage: "Ha fallado el almacenamiento de este terminal",
        },
    },
    months: [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
    ],
    weekdays: ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
    decimal_comma: true,
    day_first: true,
};

fn es_wrong_pin(left: u32) -> String {
    match left {
        1 => "PIN incorrecto. Queda 1 intento antes de que se bloquee.".into(),
        n => format!("PIN incorrecto. Quedan {n} intentos antes de que se bloquee."),
    }
}

fn es_locked(ms: i64) -> String {
    format!(
        "Demasiados PIN incorrectos. Vuelva a intentarlo dentro de {}.",
        minutes_seconds(ms)
    )
}

fn es_counts(total: u32, complete: u32, partial: u32) -> String {
    let noun = if total == 1 { "respuesta" } else { "respuestas" };
    format!("{total} {noun} ({complete} completas, {partial} a medias)")
}

fn es_weakest(factor: &str, percent: u32, top: Option<(&str, u32)>) -> String {
    match top {
        Some((reason, share)) => format!(
            "{factor} necesita atención: {percent} % satisfechos. Lo más citado: {reason} ({share} %)"
        ),
        None => format!("{factor} necesita atención: {percent} % satisfechos"),
    }
}

fn es_reason_count(reason: &str, count: u32, share: Option<u32>) -> String {
    match share {
        Some(share) => format!("{reason} {count} ({share} %)"),
        None => format!("{reason} {count}"),
    }
}

fn es_distribution_alt(factor: &str, counts: &[(&str, u32)]) -> String {
    format!("{factor}: {}", list(counts, |(label, n)| format!("{label} {n}"), ", "))
}

fn es_trend_alt(points: &[TrendEntry]) -> String {
    let text = list(
        points,
        |(label, n, average)| match average {
            Some(a) => format!("{label}: {n}, media {}", decimal(*a, true)),
            None => format!("{label}: {n}"),
        },
        "; ",
    );
    format!("Respuestas y valoración media. {text}")
}

fn es_waiting(n: usize) -> String {
    format!("{n} pendientes de sincronizar")
}

fn es_other_identity(n: usize) -> String {
    format!("{n} tomadas con un id. de tienda o terminal anterior no se envían con el token de este terminal")
}

fn es_last_sync(at: &str) -> String {
    format!("Última sincronización: {at}")
}

fn es_last_problem(problem: &str, since: &str) -> String {
    format!("Último problema: {problem} (desde {since})")
}

fn es_set_aside(corrupt: usize, rejected: usize) -> String {
    format!(
        "{} apartadas: {corrupt} ilegibles en el almacenamiento, {rejected} rechazadas por el servidor",
        corrupt + rejected
    )
}

fn es_server_problem(status: u16) -> String {
    format!("El servidor ha tenido un problema (HTTP {status})")
}
