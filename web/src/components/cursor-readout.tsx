// Cursor position in MGRS and lat/lon, and the zoom level, for the map's status strip. It has its
// own state so pointer moves re-render this strip only, not the map or the page.
import { useEffect, useState } from 'react';
import type maplibregl from 'maplibre-gl';
import { formatLatLon, formatMgrs } from '../format.js';
import { t } from '../i18n.js';

interface Cursor {
  lon: number;
  lat: number;
}

/**
 * Live readout of the pointer position (`data-testid="cursor-mgrs"`, `"cursor-latlon"`).
 *
 * @example <CursorReadout map={map} />
 */
export function CursorReadout({ map }: { map: maplibregl.Map | null }) {
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const [zoom, setZoom] = useState<number | null>(null);

  useEffect(() => {
    if (!map) return;
    let frame = 0;
    let latest: Cursor | null = null;
    const onMove = (event: maplibregl.MapMouseEvent) => {
      latest = { lon: event.lngLat.lng, lat: event.lngLat.lat };
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          setCursor(latest);
        });
      }
    };
    const onOut = () => setCursor(null);
    const onZoom = () => setZoom(map.getZoom());
    map.on('mousemove', onMove);
    map.on('mouseout', onOut);
    map.on('zoomend', onZoom);
    onZoom();
    return () => {
      cancelAnimationFrame(frame);
      map.off('mousemove', onMove);
      map.off('mouseout', onOut);
      map.off('zoomend', onZoom);
    };
  }, [map]);

  const mgrs = cursor ? (formatMgrs(cursor.lon, cursor.lat, 5) ?? t('status.outOfRange')) : null;
  const latLon = cursor ? formatLatLon(cursor.lon, cursor.lat) : null;
  return (
    <dl className="cursor-readout" aria-label={t('status.label')}>
      <div>
        <dt>{t('status.mgrs')}</dt>
        <dd className="mono" data-testid="cursor-mgrs">
          {mgrs ?? t('status.none')}
        </dd>
      </div>
      <div>
        <dt>{t('status.latLon')}</dt>
        <dd className="mono" data-testid="cursor-latlon">
          {latLon ?? t('status.none')}
        </dd>
      </div>
      <div>
        <dt>{t('status.zoom')}</dt>
        <dd className="mono">{zoom === null ? t('status.none') : zoom.toFixed(1)}</dd>
      </div>
    </dl>
  );
}
