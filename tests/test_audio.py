import librosa
import numpy as np
import pytest

from mmviz.audio import log_mel, spectrogram_patch_grid, spectrogram_patches

SR = 16000


def test_log_mel_equals_librosa_reference():
    y = librosa.chirp(fmin=100, fmax=6000, sr=SR, duration=1.5).astype(np.float32)
    got = log_mel(y, sr=SR, n_fft=512, hop_length=160, n_mels=64, fmin=20.0, fmax=7600.0)
    ref = librosa.power_to_db(
        librosa.feature.melspectrogram(y=y, sr=SR, n_fft=512, hop_length=160, n_mels=64,
                                       fmin=20.0, fmax=7600.0), ref=np.max)
    assert got.shape == (64, 1 + len(y) // 160)
    np.testing.assert_allclose(got, ref, atol=1e-4)


def test_log_mel_tone_peaks_in_the_right_band():
    y = librosa.tone(1000, sr=SR, duration=1.0)
    S = log_mel(y, sr=SR, n_mels=128)
    mel_centres = librosa.mel_frequencies(n_mels=128 + 2, fmax=SR / 2)[1:-1]
    peak_bin = int(np.argmax(S[:, S.shape[1] // 2]))
    assert abs(mel_centres[peak_bin] - 1000) < 60


@pytest.mark.parametrize(
    "n_mels, n_frames, patch, stride, grid",
    [(128, 1024, 16, 10, (12, 101)),  # AST: 10 s at 10 ms hop -> 12 x 101 = 1212 patches
     (128, 998, 16, 10, (12, 99)),
     (128, 1001, 16, 16, (8, 62))],
)
def test_patch_grid_formula(n_mels, n_frames, patch, stride, grid):
    assert spectrogram_patch_grid(n_mels, n_frames, patch=patch, stride=stride) == grid


def test_spectrogram_patches_order_and_overlap():
    rng = np.random.default_rng(0)
    S = rng.normal(size=(32, 60)).astype(np.float32)
    patches, (nf, nt) = spectrogram_patches(S, patch=16, stride=10)
    assert (nf, nt) == (2, 5)
    assert patches.shape == (nf * nt, 256)
    for k in (0, 3, nt, nf * nt - 1):
        r, c = divmod(k, nt)
        np.testing.assert_array_equal(patches[k].reshape(16, 16), S[r * 10:r * 10 + 16, c * 10:c * 10 + 16])


def test_too_small_spectrogram_is_refused():
    with pytest.raises(ValueError, match="smaller than one"):
        spectrogram_patches(np.zeros((128, 8), np.float32), patch=16, stride=10)
