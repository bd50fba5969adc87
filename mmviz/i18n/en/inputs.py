"""What mmviz.inputs says about a file it cannot use (and about a clip it shortened): one sentence each."""

STRINGS = {
    "inputs.hint_image": "please upload a PNG, JPEG, GIF, WEBP, BMP or TIFF image",
    "inputs.hint_audio": "please upload a WAV, FLAC, OGG or MP3 file",
    "inputs.empty": "The file is empty (0 bytes); {hint}.",
    "inputs.image_bomb": "The image has far too many pixels to decode safely; please use an image of at most {mp:g} "
                         "megapixels.",
    "inputs.image_damaged": "The image file is damaged and cannot be read; {hint}.",
    "inputs.image_format": "This file is in the {fmt} format, which is not supported; {hint}.",
    "inputs.not_image": "This file is not an image the app can read; {hint}.",
    "inputs.image_too_big": "The file is {size}, more than the {limit} limit; please upload a smaller image.",
    "inputs.image_empty": "The image has zero width or height; please choose an image with pixels in it.",
    "inputs.image_pixels": "The image is {w} × {h} pixels ({mp:.1f} megapixels), more than the {limit:g} megapixel "
                           "limit; please use a smaller image.",
    "inputs.image_truncated": "The {fmt} image is damaged or incomplete (truncated) and cannot be decoded; please try "
                              "another copy of the file.",
    "inputs.image_mode": "The image uses a colour format ({mode}) the app cannot convert; {hint}.",
    "inputs.audio_too_big": "The file is {size}, more than the {limit} limit; please upload a shorter clip.",
    "inputs.audio_rate": "The file says its sample rate is {rate} Hz, which is not a real audio rate, so the file is "
                         "probably damaged; {hint}.",
    "inputs.not_audio": "This file is not audio the app can read (or it is damaged); {hint}.",
    "inputs.audio_invalid": "The audio contains invalid samples (NaN or infinity); please export the clip again or "
                            "choose another file.",
    "inputs.audio_short": "The clip is only {seconds:.3f} s long, shorter than the {min:g} s minimum; please use a "
                          "longer recording.",
    "inputs.note_cut": "The clip was {seconds:.1f} s long; only the first {max:g} s are used.",
    "inputs.note_silent": "The clip is silent (all samples are zero).",
}
