"""French, German and Spanish sentences of the demo, written for this project.

Fewer themes than English; the generator falls back to the "product" theme of the same
language for a theme missing here. Slots as in phrases_en.
"""

from __future__ import annotations

SENTENCES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "fr": {
        "brand": {
            "positive": (
                "J'adore ce que fait {brand} en ce moment, tout fonctionne ensemble.",
                "{brand} est devenue ma marque préférée, très beau travail.",
            ),
            "neutral": (
                "Est-ce que {brand} prévoit un nouveau modèle cette année ?",
                "{brand} a publié ses résultats trimestriels sur son blog.",
            ),
            "negative": (
                "{brand} était une bonne marque. Maintenant c'est vraiment décevant.",
                "Franchement déçu par {brand}, les mises à jour cassent tout.",
            ),
        },
        "product": {
            "positive": (
                "Le {product} est génial, l'écran est vraiment excellent.",
                "Deux semaines avec le {product} et je suis ravi. Superbe appareil.",
                "Très content de mon {product}, je le recommande à tout le monde.",
            ),
            "neutral": (
                "Le {product} est-il livré avec un chargeur ?",
                "Quelle couleur du {product} avez-vous choisie ?",
                "Je compte acheter le {product} le mois prochain.",
            ),
            "negative": (
                "Le {product} est une grosse déception, rien ne marche correctement.",
                "Je renvoie mon {product}, c'est nul et le support ne répond pas.",
                "Mon {product} est tombé en panne au bout de {weeks} semaines. Inadmissible.",
            ),
        },
        "battery": {
            "positive": ("La batterie du {product} tient deux jours, c'est top.",),
            "neutral": ("Combien d'heures de batterie avez-vous avec le {product} ?",),
            "negative": (
                "Depuis {firmware} la batterie de mon {product} se vide en une nuit. Nul.",
                "La batterie du {product} est catastrophique depuis la mise à jour.",
            ),
        },
        "support": {
            "positive": ("Le service client {brand} a été parfait, échange en {days} jours.",),
            "neutral": ("Quelqu'un a l'adresse du service après-vente {brand} ?",),
            "negative": (
                "Service client {brand} inexistant. Ticket ouvert depuis {weeks} semaines.",
                "{brand} refuse la garantie sur mon {product}. Honteux.",
            ),
        },
        "shipping": {
            "positive": ("Livraison rapide, mon {product} est arrivé en avance. Parfait.",),
            "neutral": ("Mon {product} est en cours de livraison avec {carrier}.",),
            "negative": ("Colis perdu par {carrier}, toujours pas de {product}. Scandaleux.",),
        },
        "price": {
            "positive": ("Le {product} à {price} euros, c'est un très bon prix.",),
            "neutral": ("Le prix du {product} va-t-il baisser bientôt ?",),
            "negative": ("{price} euros le {product}, beaucoup trop cher.",),
        },
        "tour": {
            "positive": (
                "Rencontré {blogger} au magasin de {city}, super ambiance ! {brand} au top.",
                "La tournée {brand} à {city} était géniale, merci {blogger} !",
            ),
            "neutral": ("La tournée {brand} passe par {city} aujourd'hui, étape {stop} sur 40.",),
            "negative": ("Trois heures d'attente au magasin de {city} pour la tournée. Nul.",),
        },
    },
    "de": {
        "brand": {
            "positive": (
                "Ich finde {brand} gerade richtig gut, alles passt zusammen.",
                "{brand} ist inzwischen meine Lieblingsmarke. Tolle Arbeit.",
            ),
            "neutral": (
                "Plant {brand} dieses Jahr ein neues Modell?",
                "{brand} hat heute die Quartalszahlen im Blog veröffentlicht.",
            ),
            "negative": (
                "{brand} war mal gut. Jetzt nur noch enttäuschend.",
                "Ich bin echt enttäuscht von {brand}, jedes Update macht etwas kaputt.",
            ),
        },
        "product": {
            "positive": (
                "Das {product} ist großartig, das Display ist wirklich hervorragend.",
                "Zwei Wochen mit dem {product} und ich bin begeistert.",
                "Sehr zufrieden mit meinem {product}, klare Empfehlung.",
            ),
            "neutral": (
                "Ist beim {product} ein Ladegerät dabei?",
                "Welche Farbe vom {product} habt ihr genommen?",
                "Ich überlege, nächsten Monat das {product} zu kaufen.",
            ),
            "negative": (
                "Das {product} ist eine große Enttäuschung, ständig Probleme.",
                "Mein {product} geht zurück. Schlecht verarbeitet und der Support hilft nicht.",
                "Mein {product} ist nach {weeks} Wochen kaputt gegangen. Ärgerlich.",
            ),
        },
        "battery": {
            "positive": ("Der Akku vom {product} hält locker zwei Tage, super.",),
            "neutral": ("Wie lange hält der Akku beim {product} bei euch?",),
            "negative": (
                "Seit {firmware} ist der Akku vom {product} über Nacht leer. Katastrophe.",
                "Akku vom {product} nach dem Update völlig unbrauchbar.",
            ),
        },
        "support": {
            "positive": (
                "Der {brand} Kundenservice war super freundlich, Austausch in {days} Tagen.",
            ),
            "neutral": ("Hat jemand die Adresse vom {brand} Kundendienst?",),
            "negative": (
                "Kundenservice von {brand} antwortet seit {weeks} Wochen nicht. Frechheit.",
                "{brand} lehnt die Garantie für mein {product} ab. Unglaublich.",
            ),
        },
        "shipping": {
            "positive": ("Lieferung war superschnell, das {product} kam einen Tag früher.",),
            "neutral": ("Mein {product} ist mit {carrier} unterwegs, Lieferung in {days} Tagen.",),
            "negative": (
                "{carrier} hat mein Paket verloren, immer noch kein {product}. Ärgerlich.",
            ),
        },
        "price": {
            "positive": ("Für {price} Euro ist das {product} ein guter Preis.",),
            "neutral": ("Wird der Preis vom {product} bald sinken?",),
            "negative": ("{price} Euro für das {product}? Viel zu teuer.",),
        },
        "tour": {
            "positive": (
                "Heute {blogger} im {brand} Store in {city} getroffen, tolle Stimmung!",
                "Die {brand} Tour in {city} war klasse, danke {blogger}!",
            ),
            "neutral": ("Die {brand} Tour ist heute in {city}, Station {stop} von 40.",),
            "negative": ("Drei Stunden gewartet in {city} für die Tour. Schlecht organisiert.",),
        },
    },
    "es": {
        "brand": {
            "positive": (
                "Me encanta lo que está haciendo {brand}, todo funciona genial.",
                "{brand} se ha convertido en mi marca favorita. Excelente trabajo.",
            ),
            "neutral": (
                "¿{brand} va a sacar un modelo nuevo este año?",
                "{brand} publicó sus resultados trimestrales en el blog.",
            ),
            "negative": (
                "{brand} antes era buena. Ahora es una decepción.",
                "Muy decepcionado con {brand}, cada actualización rompe algo.",
            ),
        },
        "product": {
            "positive": (
                "El {product} es increíble, la pantalla es excelente.",
                "Dos semanas con el {product} y estoy encantado.",
                "Muy contento con mi {product}, lo recomiendo.",
            ),
            "neutral": (
                "¿El {product} viene con cargador?",
                "¿Qué color del {product} elegisteis?",
                "Pienso comprar el {product} el mes que viene.",
            ),
            "negative": (
                "El {product} es una gran decepción, falla todo el tiempo.",
                "Devuelvo mi {product}. Malísimo y el soporte no responde.",
                "Mi {product} se rompió a las {weeks} semanas. Indignante.",
            ),
        },
        "battery": {
            "positive": ("La batería del {product} dura dos días, genial.",),
            "neutral": ("¿Cuántas horas os dura la batería del {product}?",),
            "negative": (
                "Desde {firmware} la batería de mi {product} se vacía en una noche. Fatal.",
                "La batería del {product} es un desastre tras la actualización.",
            ),
        },
        "support": {
            "positive": ("El soporte de {brand} fue excelente, cambio en {days} días.",),
            "neutral": ("¿Alguien tiene el contacto del soporte de {brand}?",),
            "negative": (
                "El soporte de {brand} no contesta desde hace {weeks} semanas. Vergonzoso.",
                "{brand} rechaza la garantía de mi {product}. Increíble.",
            ),
        },
        "shipping": {
            "positive": ("Envío rapidísimo, mi {product} llegó un día antes. Perfecto.",),
            "neutral": ("Mi pedido del {product} está en camino con {carrier}.",),
            "negative": ("{carrier} perdió mi pedido, sigo sin {product}. Un desastre.",),
        },
        "price": {
            "positive": ("Por {price} euros el {product} tiene muy buen precio.",),
            "neutral": ("¿Bajará pronto el precio del {product}?",),
            "negative": ("¿{price} euros por el {product}? Demasiado caro.",),
        },
        "tour": {
            "positive": (
                "Conocí a {blogger} en la tienda de {city}, ¡qué buen ambiente!",
                "La gira de {brand} en {city} fue genial, ¡gracias {blogger}!",
            ),
            "neutral": ("La gira de {brand} está hoy en {city}, parada {stop} de 40.",),
            "negative": ("Tres horas de cola en {city} para la gira. Muy mal organizado.",),
        },
    },
}

CONTEXT: dict[str, tuple[str, ...]] = {
    "fr": (
        "Acheté il y a {weeks} semaines à {city}.",
        "Je l'utilise surtout pour le travail.",
        "C'est mon troisième appareil {brand}.",
        "J'avais un {competitor} avant.",
        "Je prends le train tous les jours.",
        "Ma compagne a le même modèle.",
    ),
    "de": (
        "Vor {weeks} Wochen in {city} gekauft.",
        "Ich nutze es vor allem für die Arbeit.",
        "Das ist mein drittes Gerät von {brand}.",
        "Vorher hatte ich ein {competitor}.",
        "Ich pendle jeden Tag mit dem Zug.",
        "Meine Frau hat das gleiche Modell.",
    ),
    "es": (
        "Lo compré hace {weeks} semanas en {city}.",
        "Lo uso sobre todo para trabajar.",
        "Es mi tercer dispositivo {brand}.",
        "Antes tenía un {competitor}.",
        "Voy en tren al trabajo todos los días.",
        "Mi pareja tiene el mismo modelo.",
    ),
}

REPLIES: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "agree_negative": ("Pareil pour moi, c'est pénible.", "Même problème ici."),
        "agree_positive": ("Tout à fait d'accord, le mien est top !",),
        "question": ("Tu as quelle version ?", "Tu l'as acheté où ?"),
        "answer": ("Dans les réglages, rubrique système.",),
        "support_sorry": ("Merci pour votre message, envoyez-nous votre numéro de série.",),
        "support_thanks": ("Merci beaucoup pour ce retour !",),
    },
    "de": {
        "agree_negative": ("Bei mir genauso, echt nervig.", "Gleiches Problem hier."),
        "agree_positive": ("Stimmt, meins ist auch super!",),
        "question": ("Welche Version hast du?", "Wo hast du es gekauft?"),
        "answer": ("In den Einstellungen unter System.",),
        "support_sorry": ("Danke für die Nachricht, bitte schick uns die Seriennummer.",),
        "support_thanks": ("Vielen Dank für das Lob!",),
    },
    "es": {
        "agree_negative": ("A mí me pasa lo mismo, qué rabia.", "Mismo problema aquí."),
        "agree_positive": ("Totalmente de acuerdo, ¡el mío va genial!",),
        "question": ("¿Qué versión tienes?", "¿Dónde lo compraste?"),
        "answer": ("En ajustes, en la sección sistema.",),
        "support_sorry": ("Gracias por escribirnos, mándanos el número de serie por mensaje.",),
        "support_thanks": ("¡Muchas gracias por tu mensaje!",),
    },
}

TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "positive": ("Test du {product} : une vraie réussite", "Pourquoi j'adore le {product}"),
        "neutral": ("{product} : notes après une semaine", "{brand} {product} ou {competitor} ?"),
        "negative": ("{product} : les problèmes s'accumulent", "Déçu par le {product}"),
    },
    "de": {
        "positive": ("{product} im Test: richtig gut",),
        "neutral": ("{product}: Notizen nach einer Woche",),
        "negative": ("{product}: leider enttäuschend",),
    },
    "es": {
        "positive": ("Análisis del {product}: un acierto",),
        "neutral": ("{product}: notas tras una semana",),
        "negative": ("{product}: una decepción",),
    },
}

BLOG_SENTENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "positive": (
            "Après une semaine d'utilisation, c'est l'un des appareils les plus aboutis.",
            "Le soin apporté aux détails est remarquable.",
        ),
        "neutral": (
            "Je l'ai utilisé comme seul appareil pendant sept jours.",
            "Les prix et la disponibilité sont indiqués en fin d'article.",
        ),
        "negative": (
            "Malheureusement, les défauts sont difficiles à ignorer à ce prix.",
            "Des bugs tous les jours, c'est frustrant.",
        ),
    },
    "de": {
        "positive": ("Nach einer Woche im Alltag: eines der ausgereiftesten Geräte im Test.",),
        "neutral": ("Ich habe es sieben Tage lang als einziges Gerät benutzt.",),
        "negative": ("Leider sind die Mängel bei diesem Preis kaum zu übersehen.",),
    },
    "es": {
        "positive": (
            "Tras una semana de uso, es uno de los dispositivos más pulidos que he probado.",
        ),
        "neutral": ("Lo usé como único dispositivo durante siete días.",),
        "negative": ("Por desgracia, los fallos son difíciles de ignorar a este precio.",),
    },
}
