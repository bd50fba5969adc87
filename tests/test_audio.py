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


# --------------------------------------------------------------------------- STFT, mel, resolution
from mmviz.audio import frames_for, mel_filterbank, resolution, stft_power, token_count  # noqa: E402


def test_stft_power_equals_librosa_and_finds_the_tone():
    y = librosa.tone(1000, sr=SR, duration=1.0).astype(np.float32)
    P = stft_power(y, n_fft=512, hop_length=128, window="hamming")
    ref = np.abs(librosa.stft(y, n_fft=512, hop_length=128, window="hamming")) ** 2
    assert P.shape == (257, 1 + len(y) // 128) and P.dtype == np.float32
    np.testing.assert_allclose(P, ref, rtol=1e-5, atol=1e-6)
    assert int(np.argmax(P[:, 60])) == round(1000 / (SR / 512))  # bin 32 = 1000 Hz


@pytest.mark.parametrize("window, enbw", [("boxcar", 1.0), ("hann", 1.5), ("hamming", 1.363), ("blackman", 1.727)])
def test_resolution_numbers(window, enbw):
    r = resolution(sr=SR, n_fft=400, hop_length=160, window=window)
    assert r["window_ms"] == pytest.approx(25.0) and r["hop_ms"] == pytest.approx(10.0)
    assert r["bin_hz"] == pytest.approx(40.0) and r["n_bins"] == 201
    assert r["time_x_freq"] == pytest.approx(1.0)  # the trade-off: 25 ms x 40 Hz
    assert r["overlap"] == pytest.approx(0.6) and r["frames_per_s"] == pytest.approx(100.0)
    assert r["enbw_bins"] == pytest.approx(enbw, abs=2e-3)
    assert r["enbw_hz"] == pytest.approx(enbw * 40.0, abs=0.1)
    longer = resolution(sr=SR, n_fft=1600, hop_length=160, window=window)
    assert longer["bin_hz"] == pytest.approx(10.0) and longer["window_ms"] == pytest.approx(100.0)


def test_mel_filterbank_is_librosa_and_triangular():
    M = mel_filterbank(sr=SR, n_fft=512, n_mels=40, fmin=50.0, fmax=7000.0)
    np.testing.assert_array_equal(M, librosa.filters.mel(sr=SR, n_fft=512, n_mels=40, fmin=50.0, fmax=7000.0))
    assert M.shape == (40, 257) and (M >= 0).all()
    bin_hz = np.fft.rfftfreq(512, 1 / SR)
    assert bin_hz[M.any(axis=0)].min() > 50.0 and bin_hz[M.any(axis=0)].max() < 7000.0
    peaks = M.argmax(axis=1)
    assert (np.diff(peaks) >= 0).all()  # triangles march up in frequency
    widths = (M > 0).sum(axis=1)
    assert widths[-1] > 4 * widths[5]  # and get wider: the mel scale


def test_log_mel_window_and_ref_options_match_librosa():
    y = librosa.chirp(fmin=200, fmax=3000, sr=SR, duration=1.0).astype(np.float32)
    got = log_mel(y, sr=SR, n_fft=1024, hop_length=256, n_mels=80, window="blackman", ref=1.0, top_db=None)
    ref = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=SR, n_fft=1024, hop_length=256, n_mels=80,
                                                             window="blackman"), ref=1.0, top_db=None)
    np.testing.assert_allclose(got, ref, atol=1e-4)


def test_log_mel_of_silence_is_finite():
    S = log_mel(np.zeros(SR, np.float32), sr=SR)
    assert np.isfinite(S).all() and S.shape == (128, 101)


def test_frames_for():
    assert frames_for(160000, hop_length=160, n_fft=400) == 1001  # centred (librosa)
    assert frames_for(160000, hop_length=160, n_fft=400, center=False) == 998  # Kaldi
    assert frames_for(300, hop_length=160, n_fft=400, center=False) == 0


def test_token_count_of_the_ast_example():
    c = token_count(128, 1024, patch=16, stride=10)
    assert c == {"grid": (12, 101), "patches": 1212, "tokens": 1214, "attention": 1214**2}
    assert token_count(128, 1024, patch=16, stride=16)["patches"] == 8 * 64  # no overlap: 512
    assert token_count(64, 256, patch=16, stride=10, prefix_tokens=1)["tokens"] == 5 * 25 + 1
