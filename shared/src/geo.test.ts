import {
  formatDistance,
  checkFence,
  coordKey,
  gcj02ToWgs84,
  haversineM,
  isValidLatLng,
  outOfChina,
  speedKmh,
  toGcj02,
  wgs84ToGcj02,
} from './geo';

/**
 * Published pairs: the test vectors of the reference implementation (github.com/googollee/eviltransform,
 * go/transform_test.go and python/test.py), WGS-84 -> GCJ-02.
 */
const PUBLISHED = [
  {
    place: 'Shanghai',
    wgs: { lat: 31.1774276, lng: 121.5272106 },
    gcj: { lat: 31.17530398364597, lng: 121.531541859215 },
  },
  {
    place: 'Shenzhen',
    wgs: { lat: 22.543847, lng: 113.912316 },
    gcj: { lat: 22.540796131694766, lng: 113.9171764808363 },
  },
  {
    place: 'Beijing (Tiananmen area)',
    wgs: { lat: 39.911954, lng: 116.377817 },
    gcj: { lat: 39.91334545536069, lng: 116.38404722455657 },
  },
];

describe('WGS-84 -> GCJ-02', () => {
  test.each(PUBLISHED)(
    'when $place is converted, then it equals the published GCJ-02 pair to 1e-9 degrees',
    ({ wgs, gcj }) => {
      const got = wgs84ToGcj02(wgs);
      expect(Math.abs(got.lat - gcj.lat)).toBeLessThan(1e-9);
      expect(Math.abs(got.lng - gcj.lng)).toBeLessThan(1e-9);
    },
  );

  test('when converted, then the offset is the few hundred metres GCJ-02 is known for (not zero, not kilometres)', () => {
    for (const { wgs } of PUBLISHED) {
      const shift = haversineM(wgs, wgs84ToGcj02(wgs));
      expect(shift).toBeGreaterThan(100);
      expect(shift).toBeLessThan(1000);
    }
  });

  test('when a point is outside China, then it is returned unchanged', () => {
    for (const p of [
      { lat: 51.5007, lng: -0.1246 },
      { lat: 35.6586, lng: 139.7454 },
      { lat: -33.8568, lng: 151.2153 },
      { lat: 0.5, lng: 100 },
    ]) {
      expect(outOfChina(p)).toBe(true);
      expect(wgs84ToGcj02(p)).toEqual(p);
    }
  });

  test('when converting back with gcj02ToWgs84, then the round trip lands within 0.1 m of the start', () => {
    for (const { wgs, gcj } of PUBLISHED) {
      expect(haversineM(gcj02ToWgs84(gcj), wgs)).toBeLessThan(0.1);
      expect(haversineM(wgs84ToGcj02(gcj02ToWgs84(gcj)), gcj)).toBeLessThan(0.1);
    }
  });

  test('when the device reports gcj02, then toGcj02 keeps it; wgs84 is converted', () => {
    const { wgs, gcj } = PUBLISHED[2]!;
    expect(toGcj02(gcj, 'gcj02')).toEqual(gcj);
    expect(haversineM(toGcj02(wgs, 'wgs84'), gcj)).toBeLessThan(0.01);
  });
});

describe('haversine', () => {
  test('when two points are 1 degree of latitude apart, then they are about 111.2 km apart', () => {
    expect(haversineM({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111_195, -1);
    expect(haversineM({ lat: 45, lng: 10 }, { lat: 46, lng: 10 })).toBeCloseTo(111_195, -1);
  });

  test('when measuring Beijing to Shanghai (city centres), then it is about 1067 km', () => {
    const d = haversineM({ lat: 39.9042, lng: 116.4074 }, { lat: 31.2304, lng: 121.4737 });
    expect(d / 1000).toBeGreaterThan(1060);
    expect(d / 1000).toBeLessThan(1075);
  });

  test('when 1 degree of longitude is measured at 60° N, then it is half of one at the equator', () => {
    const equator = haversineM({ lat: 0, lng: 0 }, { lat: 0, lng: 1 });
    const sixty = haversineM({ lat: 60, lng: 0 }, { lat: 60, lng: 1 });
    expect(sixty / equator).toBeCloseTo(0.5, 3);
  });

  test('when the points are equal or antipodal, then the distance is 0 or half the circumference', () => {
    expect(haversineM({ lat: 30.5, lng: 120 }, { lat: 30.5, lng: 120 })).toBe(0);
    expect(haversineM({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * 6_371_008.8, 0);
  });
});

describe('fence', () => {
  const fence = { lat: 30.5447, lng: 119.9752, radiusM: 500 };
  /** A point `metres` due north of the centre (1 m of latitude = 180 / (pi R) degrees). */
  const north = (metres: number) => ({ lat: fence.lat + (metres * 180) / (Math.PI * 6_371_008.8), lng: fence.lng });

  test('when a point is 499.9 m from the centre, then it is inside; on the circle inside; 1 cm beyond it outside', () => {
    expect(checkFence(north(499.9), fence)).toEqual({ distanceM: 500, within: true });
    expect(checkFence(north(500), fence).within).toBe(true);
    expect(checkFence(north(500.01), fence).within).toBe(false);
    expect(checkFence(north(500.6), fence)).toEqual({ distanceM: 501, within: false });
  });

  test('when a point is the centre, then the distance is 0', () => {
    expect(checkFence(fence, fence)).toEqual({ distanceM: 0, within: true });
  });

  test('when a browser stands at the fence centre in WGS-84, then only the converted position is inside', () => {
    const wgs = gcj02ToWgs84(fence);
    expect(checkFence(wgs, fence).within).toBe(false);
    expect(checkFence(wgs, fence).distanceM).toBeGreaterThan(400);
    expect(checkFence(wgs84ToGcj02(wgs), fence).distanceM).toBe(0);
  });
});

describe('helpers', () => {
  test('coordKey keeps six decimals', () => {
    expect(coordKey({ lat: 30.54470049, lng: 119.9752 })).toBe('30.544700,119.975200');
    expect(coordKey({ lat: 30.5447004, lng: 119.9752 })).toBe(coordKey({ lat: 30.5447001, lng: 119.9752 }));
  });

  test('speedKmh: 120 km in an hour is 120; no movement is 0; a jump in no time is infinite', () => {
    expect(speedKmh(120_000, 3600)).toBeCloseTo(120);
    expect(speedKmh(0, 0)).toBe(0);
    expect(speedKmh(10, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  test('isValidLatLng refuses out-of-range and non-finite numbers', () => {
    expect(isValidLatLng({ lat: 90, lng: -180 })).toBe(true);
    expect(isValidLatLng({ lat: 90.0001, lng: 0 })).toBe(false);
    expect(isValidLatLng({ lat: 0, lng: Number.NaN })).toBe(false);
  });
});

describe('formatDistance', () => {
  test('under a kilometre in metres; from 1000 m in 公里 with one decimal', () => {
    expect(formatDistance(860.4)).toBe('860米');
    expect(formatDistance(999)).toBe('999米');
    expect(formatDistance(1000)).toBe('1.0公里');
    expect(formatDistance(3155)).toBe('3.2公里');
  });
});
