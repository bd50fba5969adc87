"""Audio as tokens: waveform -> STFT power -> mel -> log-mel -> spectrogram patches (AST style).

* :mod:`mmviz.audio.spectrogram`: the librosa-style teaching steps (``stft_power``,
  ``mel_filterbank``, ``log_mel``, ``spectrogram_patches``) and the token-count formula.
* :mod:`mmviz.audio.kaldi`: the Kaldi-compatible log-mel filterbank front end that the Audio
  Spectrogram Transformer checkpoints expect (``ast_features``).
* :mod:`mmviz.lessons.audio_tokens`: numpy-out helpers the audio lesson page caches.
"""

from mmviz.audio.kaldi import KALDI, ast_features, kaldi_fbank, kaldi_mel_filterbank, kaldi_num_frames
from mmviz.audio.spectrogram import (
    frames_for,
    log_mel,
    mel_filterbank,
    resolution,
    spectrogram_patch_grid,
    spectrogram_patches,
    stft_power,
    token_count,
)

__all__ = [
    "stft_power", "resolution", "mel_filterbank", "log_mel", "frames_for",
    "spectrogram_patch_grid", "spectrogram_patches", "token_count",
    "KALDI", "kaldi_mel_filterbank", "kaldi_fbank", "kaldi_num_frames", "ast_features",
]
