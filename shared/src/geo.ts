/**
 * Geography for check-ins, shared by the server (which decides) and the app (which shows the distance first).
 * Fences are stored in GCJ-02, the datum WeChat and Tencent maps use; browsers report WGS-84.
 */

export interface LatLng {
  lat: number;
  lng: number;
}

export interface CircleFence extends LatLng {
  radiusM: number;
}

/** Mean Earth radius (IUGG), the usual constant for haversine distances. */
export const EARTH_RADIUS_M = 6_371_008.8;

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function haversineM(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function isValidLatLng(p: LatLng): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180;
}

// ---- WGS-84 -> GCJ-02: the published "eviltransform" algorithm (Krasovsky 1940 ellipsoid). ----

const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.006693421622965943; // the published 0.00669342162296594323, as a double holds it

/** The rough box the GCJ-02 offset applies in; outside it coordinates are returned unchanged. */
export function outOfChina(p: LatLng): boolean {
  return p.lng < 72.004 || p.lng > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

function transform(x: number, y: number): LatLng {
  const xy = x * y;
  const absX = Math.sqrt(Math.abs(x));
  const xPi = x * Math.PI;
  const yPi = y * Math.PI;
  const d = 20.0 * Math.sin(6.0 * xPi) + 20.0 * Math.sin(2.0 * xPi);
  let lat =
    d + 20.0 * Math.sin(yPi) + 40.0 * Math.sin(yPi / 3.0) + 160.0 * Math.sin(yPi / 12.0) + 320 * Math.sin(yPi / 30.0);
  let lng =
    d + 20.0 * Math.sin(xPi) + 40.0 * Math.sin(xPi / 3.0) + 150.0 * Math.sin(xPi / 12.0) + 300.0 * Math.sin(xPi / 30.0);
  lat = (lat * 2.0) / 3.0 - 100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * xy + 0.2 * absX;
  lng = (lng * 2.0) / 3.0 + 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * xy + 0.1 * absX;
  return { lat, lng };
}

function gcjDelta(p: LatLng): LatLng {
  const t = transform(p.lng - 105.0, p.lat - 35.0);
  const radLat = rad(p.lat);
  const magic = 1 - KRASOVSKY_EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  return {
    lat: (t.lat * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI),
    lng: (t.lng * 180.0) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI),
  };
}

export function wgs84ToGcj02(p: LatLng): LatLng {
  if (outOfChina(p)) return { lat: p.lat, lng: p.lng };
  const d = gcjDelta(p);
  return { lat: p.lat + d.lat, lng: p.lng + d.lng };
}

/**
 * GCJ-02 -> WGS-84 by bisection (the transform has no closed inverse): within ~0.1 m. Used to place a browser
 * (WGS-84) at a fence drawn in GCJ-02, in tests and demos.
 */
export function gcj02ToWgs84(p: LatLng): LatLng {
  if (outOfChina(p)) return { lat: p.lat, lng: p.lng };
  let lo = { lat: p.lat - 0.01, lng: p.lng - 0.01 };
  let hi = { lat: p.lat + 0.01, lng: p.lng + 0.01 };
  let mid = p;
  for (let i = 0; i < 40; i++) {
    mid = { lat: (lo.lat + hi.lat) / 2, lng: (lo.lng + hi.lng) / 2 };
    const g = wgs84ToGcj02(mid);
    const dLat = g.lat - p.lat;
    const dLng = g.lng - p.lng;
    if (Math.abs(dLat) < 1e-9 && Math.abs(dLng) < 1e-9) break;
    lo = { lat: dLat > 0 ? lo.lat : mid.lat, lng: dLng > 0 ? lo.lng : mid.lng };
    hi = { lat: dLat > 0 ? mid.lat : hi.lat, lng: dLng > 0 ? mid.lng : hi.lng };
  }
  return mid;
}

export type CoordType = 'gcj02' | 'wgs84';

/** Whatever the device reported, as GCJ-02 (the datum fences are drawn in). */
export function toGcj02(p: LatLng, coordType: CoordType): LatLng {
  return coordType === 'wgs84' ? wgs84ToGcj02(p) : { lat: p.lat, lng: p.lng };
}

export interface FenceCheck {
  /** Metres from the fence centre, rounded to whole metres. */
  distanceM: number;
  /** On the circle counts as inside. */
  within: boolean;
}

/** Points this close outside the circle still count as on it: floating-point noise, far below any GPS fix. */
const BOUNDARY_TOLERANCE_M = 0.001;

/** Distance from a GCJ-02 point to a GCJ-02 fence centre, and whether it lies inside the circle (edge included). */
export function checkFence(point: LatLng, fence: CircleFence): FenceCheck {
  const exact = haversineM(point, fence);
  return { distanceM: Math.round(exact), within: exact <= fence.radiusM + BOUNDARY_TOLERANCE_M };
}

/** Six decimals (~0.1 m): the resolution at which two reports count as "the same coordinates". */
export function coordKey(p: LatLng): string {
  return `${p.lat.toFixed(6)},${p.lng.toFixed(6)}`;
}

/** km/h between two fixes; an instant jump counts as infinitely fast. */
export function speedKmh(distanceM: number, seconds: number): number {
  if (distanceM <= 0) return 0;
  if (seconds <= 0) return Number.POSITIVE_INFINITY;
  return distanceM / 1000 / (seconds / 3600);
}

/**
 * A distance as a member reads it: `860米` under a kilometre, `3.2公里` from there on. The one formatter for
 * every page and server message, so one view never says 3155米 beside 3.2公里.
 */
export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m)}米` : `${(m / 1000).toFixed(1)}公里`;
}
