"""Synthetic CT-like volumes with ground truth: the Java phantom, and randomised variants for training.

Volumes are float32 arrays [z, y, x] in HU on an LPS grid (x to patient left, y to posterior, z to
superior, as org.seggateway.dicomio.synthetic.SyntheticSeries writes them); labels are uint8
0 background, 1 liver, 2 lesion, taken at voxel centres.
"""
import numpy as np
import torch
import torch.nn.functional as F

BACKGROUND, LIVER, LESION = 0, 1, 2

# org.seggateway.dicomio.synthetic.Phantom.standard(), in mm
STANDARD = dict(liver_centre=(-40.0, 10.0, 0.0), liver_radius=45.0, lesion_centre=(-25.0, 10.0, 8.0),
                lesion_radius=11.0, body_semi_axes=(150.0, 110.0))


def centred_axes(shape, spacing, centre=(0.0, 0.0, 0.0)):
    """World coordinates (mm) of voxel centres along z, y, x for a grid centred on `centre` (z, y, x)."""
    return [(np.arange(n) - (n - 1) / 2.0) * s + c for n, s, c in zip(shape, spacing, centre)]


def standard_phantom(shape, spacing, noise_sigma=10.0, seed=42):
    """The Java standard phantom on a grid centred on the patient origin, as SyntheticSeries samples it.

    Noise is added per voxel and the value rounded to an integer HU clipped to the 12-bit range, as the
    Java writer stores it (the noise sequence itself differs from Java's).
    """
    z, y, x = centred_axes(shape, spacing)
    hu = np.empty(shape, np.float32)
    labels = np.empty(shape, np.uint8)
    rng = np.random.default_rng(seed)
    lx, ly, lz = STANDARD["liver_centre"]
    sx, sy, sz = STANDARD["lesion_centre"]
    ax, ay = STANDARD["body_semi_axes"]
    yy, xx = np.meshgrid(y, x, indexing="ij")
    body = (xx / ax) ** 2 + (yy / ay) ** 2 <= 1.0
    for k, zk in enumerate(z):
        liver = (xx - lx) ** 2 + (yy - ly) ** 2 + (zk - lz) ** 2 <= STANDARD["liver_radius"] ** 2
        lesion = (xx - sx) ** 2 + (yy - sy) ** 2 + (zk - sz) ** 2 <= STANDARD["lesion_radius"] ** 2
        lab = np.where(lesion, LESION, np.where(liver, LIVER, BACKGROUND)).astype(np.uint8)
        clean = np.where(lab == LESION, 200.0, np.where(lab == LIVER, 110.0, np.where(body, 40.0, -1000.0)))
        noisy = np.rint(clean + 1024 + rng.standard_normal(clean.shape) * noise_sigma)
        hu[k] = np.clip(noisy, 0, 4095) - 1024
        labels[k] = lab
    return hu, labels


def _rotation(rng):
    q, r = np.linalg.qr(rng.standard_normal((3, 3)))
    q = q * np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q


def _elastic_displacement(rng, shape, spacing, amplitude_mm, control_spacing_mm=40.0):
    """A smooth random displacement field (3, z, y, x) in mm: random control points, trilinear between them."""
    extent = [n * s for n, s in zip(shape, spacing)]
    grid = [max(2, int(np.ceil(e / control_spacing_mm)) + 1) for e in extent]
    coarse = torch.from_numpy(rng.standard_normal((1, 3, *grid)).astype(np.float32) * amplitude_mm)
    return F.interpolate(coarse, size=tuple(shape), mode="trilinear", align_corners=True)[0].numpy()


def _inside_ellipsoid(points, centre, semi_axes, rotation):
    """points: (3, ...) as x, y, z in mm."""
    d = points - np.asarray(centre, np.float32).reshape(3, *([1] * (points.ndim - 1)))
    local = np.tensordot(rotation.T.astype(np.float32), d, axes=1)
    q = sum((local[i] / semi_axes[i]) ** 2 for i in range(3))
    return q <= 1.0


def _blur(volume, sigma_voxels):
    radius = max(1, int(np.ceil(3 * sigma_voxels)))
    k = np.exp(-np.arange(-radius, radius + 1) ** 2 / (2 * sigma_voxels ** 2))
    k = torch.from_numpy((k / k.sum()).astype(np.float32))
    v = torch.from_numpy(volume)[None, None]
    for axis in range(3):
        shape = [1, 1, 1, 1, 1]
        shape[2 + axis] = k.numel()
        pad = [0, 0, 0, 0, 0, 0]
        pad[2 * (2 - axis)] = pad[2 * (2 - axis) + 1] = radius
        v = F.conv3d(F.pad(v, pad, mode="replicate"), k.reshape(shape))
    return v[0, 0].numpy()


def random_case(rng, shape, spacing, centre_on_body=False):
    """A randomised phantom patch: body, liver ellipsoid with 0-3 lesions, fat/bone distractors,
    elastic deformation, random intensities, blur and noise. Returns (hu float32, labels uint8)."""
    a, b = rng.uniform(110, 190), rng.uniform(80, 140)
    body_angle = rng.uniform(-0.25, 0.25)
    liver_radius = rng.uniform(30, 65)
    liver_axes = liver_radius * rng.uniform(0.75, 1.25, 3)
    liver_centre = np.array([rng.uniform(-0.55, 0.55) * a, rng.uniform(-0.45, 0.45) * b, 0.0])
    liver_rot = _rotation(rng)

    lesions = []
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        direction = rng.standard_normal(3)
        direction /= np.linalg.norm(direction)
        offset = liver_rot @ (direction * rng.uniform(0, 0.6) * liver_axes)
        lesions.append((liver_centre + offset, rng.uniform(4, 18) * rng.uniform(0.8, 1.2, 3), _rotation(rng)))

    # where the patch looks: a lesion, the liver, or anywhere around the body (air and edges included)
    where = rng.random()
    if centre_on_body:
        centre_xyz = np.array([0.0, 0.0, liver_centre[2] + rng.uniform(-20, 20)])
    elif lesions and where < 0.35:
        centre_xyz = lesions[rng.integers(len(lesions))][0] + rng.uniform(-25, 25, 3)
    elif where < 0.75:
        centre_xyz = liver_centre + rng.uniform(-1, 1, 3) * (liver_radius + 25)
    else:
        centre_xyz = np.array([rng.uniform(-a - 40, a + 40), rng.uniform(-b - 40, b + 40), rng.uniform(-120, 120)])
    z, y, x = centred_axes(shape, spacing, centre_xyz[::-1])
    zz, yy, xx = np.meshgrid(z.astype(np.float32), y.astype(np.float32), x.astype(np.float32), indexing="ij")
    points = np.stack([xx, yy, zz])
    if rng.random() < 0.8:
        disp = _elastic_displacement(rng, shape, spacing, rng.uniform(2, 12))
        points = points + disp  # i.i.d. components, so channel order is immaterial

    c, s = np.cos(body_angle), np.sin(body_angle)
    u = c * points[0] + s * points[1]
    v = -s * points[0] + c * points[1]
    body = (u / a) ** 2 + (v / b) ** 2 <= 1.0

    air = rng.uniform(-1010, -980)
    body_hu = rng.uniform(10, 70)
    liver_hu = body_hu + rng.uniform(40, 110)
    lesion_hu = liver_hu + rng.uniform(50, 130)
    clean = np.where(body, np.float32(body_hu), np.float32(air)).astype(np.float32)

    for _ in range(rng.integers(0, 4)):
        hu = rng.uniform(-150, -50) if rng.random() < 0.5 else rng.uniform(400, 1000)
        centre = np.array([rng.uniform(-0.8, 0.8) * a, rng.uniform(-0.8, 0.8) * b, rng.uniform(-80, 80)])
        blob = _inside_ellipsoid(points, centre, rng.uniform(8, 40, 3), _rotation(rng)) & body
        clean[blob] = hu

    labels = np.zeros(shape, np.uint8)
    liver = _inside_ellipsoid(points, liver_centre, liver_axes, liver_rot) & body
    labels[liver] = LIVER
    clean[liver] = liver_hu
    for centre, semi_axes, rotation in lesions:
        lesion = _inside_ellipsoid(points, centre, semi_axes, rotation)
        labels[lesion] = LESION
        clean[lesion] = lesion_hu + rng.uniform(-15, 15)

    if rng.random() < 0.5:
        clean = _blur(clean, rng.uniform(0.3, 0.8))
    noisy = clean + rng.standard_normal(shape).astype(np.float32) * rng.uniform(0, 25)
    return noisy.astype(np.float32), labels


def dice(prediction, truth, label):
    """Dice of one label; 1.0 when it is absent from both."""
    p, t = prediction == label, truth == label
    denominator = p.sum() + t.sum()
    return 1.0 if denominator == 0 else 2.0 * np.logical_and(p, t).sum() / denominator
