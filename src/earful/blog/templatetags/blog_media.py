"""{% photo %} and {% photo_figure %}: a Photo as a responsive, lazily loaded <img>.

    {% load blog_media %}
    {% photo post.cover sizes="(max-width: 960px) 100vw, 960px" css_class="cover" %}
    {% photo_figure photo %}   {# the same <img> in a <figure> with the caption #}

The browser picks the rendition that fits from `srcset`; `width` and `height` reserve the
space so the page does not jump while the photo loads. Every value is escaped.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..models import Photo
from ..photos import default_src, srcset

register = template.Library()

DEFAULT_SIZES = "(max-width: 960px) 100vw, 960px"


@register.simple_tag
def photo(
    photo: Photo | None, sizes: str = DEFAULT_SIZES, css_class: str = "", alt: str | None = None
) -> SafeString:
    """<img src srcset sizes alt width height loading=lazy> for a Photo; "" for None."""
    if photo is None or not photo.image:
        return SafeString("")
    class_attribute = format_html(' class="{}"', css_class) if css_class else ""
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" '
        'loading="lazy" decoding="async"{}>',
        default_src(photo),
        srcset(photo),
        sizes,
        photo.alt if alt is None else alt,
        photo.width,
        photo.height,
        class_attribute,
    )


@register.simple_tag
def photo_figure(
    photo_obj: Photo | None, sizes: str = DEFAULT_SIZES, css_class: str = ""
) -> SafeString:
    """The photo in a <figure>, with its caption as <figcaption> when it has one."""
    img = photo(photo_obj, sizes=sizes)
    if not img:
        return img
    class_attribute = format_html(' class="{}"', css_class) if css_class else ""
    if not photo_obj.caption:
        return format_html("<figure{}>{}</figure>", class_attribute, img)
    return format_html(
        "<figure{}>{}<figcaption>{}</figcaption></figure>",
        class_attribute,
        img,
        photo_obj.caption,
    )
