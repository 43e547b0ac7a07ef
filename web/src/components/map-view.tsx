// The common picture: one MapLibre map used on every page that shows places. The style is built
// here with no external URL (no tiles, glyphs or sprites): the basemap is Natural Earth GeoJSON from
// our own server, unit symbols are drawn by milsymbol, and labels are HTML. So it works offline and
// under a strict CSP (the worker is loaded from our origin, not from a blob).
import { useCallback, useEffect, useRef, useState } from 'react';
import maplibregl from 'maplibre-gl';
import type {
  ExpressionSpecification,
  GeoJSONSource,
  LayerSpecification,
  MapGeoJSONFeature,
  StyleSpecification,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-csp-worker.js?url';
import ms from 'milsymbol';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { apiGet, showProblem, toProblem } from '../api.js';
import { useSettings } from '../app-context.js';
import type { BBox } from '../contract.js';
import { geometryBbox } from '../geometry.js';
import { t } from '../i18n.js';
import { CursorReadout } from './cursor-readout.js';
import { LayerPanel } from './layer-panel.js';
import { arrowIconId, categoryColours, drawMapSymbol, objectIconPrefix } from './object-symbols.js';

maplibregl.setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** The live map, for end-to-end tests. */
    __civitasMap?: maplibregl.Map;
  }
}

/** A data layer on the map. Features must carry a unique string `id` property. */
export type MapOverlay =
  | { kind: 'outline'; id: string; label: string; data: FeatureCollection | null }
  | { kind: 'polygons'; id: string; label: string; data: FeatureCollection | null }
  | {
      kind: 'points';
      id: string;
      label: string;
      data: FeatureCollection | null;
      /** Property that sizes the circles (e.g. population). */
      sizeBy?: string;
      /** Show HTML name labels for the largest N features by `sizeBy`. */
      labelTop?: number;
    }
  | { kind: 'units'; id: string; label: string; data: FeatureCollection | null }
  /**
   * Protected objects: every feature with its own geometry and the properties `id`, `name`,
   * `category` and its centroid as `lon`, `lat`. Drawn as one symbol per category at the
   * centroid, clustered at low zoom; areas and lines are also drawn as fills and outlines.
   */
  | { kind: 'objects'; id: string; label: string; data: FeatureCollection | null }
  /** Rings (standoff buffers): dashed outlines with a faint fill. */
  | { kind: 'rings'; id: string; label: string; data: FeatureCollection | null }
  /**
   * Screening aimpoints: `role: 'ring'` polygons (the effect radius) and `role: 'centre'` points,
   * coloured by `state` = `flagged` | `clear` | `draft` (read, not yet screened).
   */
  | { kind: 'aimpoints'; id: string; label: string; data: FeatureCollection | null }
  /**
   * A release diff: Point features with `change` = `added` | `removed` | `moved` | `changed` |
   * `same`; for each moved object also a `role: 'move'` LineString (old to new position), a
   * `role: 'from'` Point (old position) and a `role: 'arrow'` Point at the new position with its
   * `bearing` in degrees.
   */
  | { kind: 'diff'; id: string; label: string; data: FeatureCollection | null }
  /**
   * Incidents of civilian harm: Point features with `id`, `name` and `weight` (people harmed),
   * clustered at low zoom (MapLibre's cluster source), each cluster carrying the sum of its
   * weights.
   */
  | { kind: 'incidents'; id: string; label: string; data: FeatureCollection | null }
  /** A heat layer (MapLibre's heatmap) of Point features weighted by their `weight`. */
  | { kind: 'heat'; id: string; label: string; data: FeatureCollection | null };

/** A selected feature: the overlay id and the feature's `id` property. */
export interface MapSelection {
  layer: string;
  id: string;
}

export interface MapViewProps {
  /** Accessible name of the map. */
  label: string;
  /** Data layers, bottom to top. `data: null` means still loading. */
  overlays: MapOverlay[];
  /** The extent to show; the map fits it whenever the value (or `fitKey`) changes. */
  extent: BBox | null;
  /**
   * When given, the map fits `extent` only when this key changes (and the extent is known), not
   * whenever the extent moves: data reloaded after an edit does not take the user's view away.
   */
  fitKey?: string;
  selection: MapSelection | null;
  onSelect: (selection: MapSelection | null) => void;
  /** Fly to this feature; bump `seq` to fly again to the same one. */
  focus?: { target: MapSelection; seq: number } | null;
  /** Called with the visible extent after every move. */
  onViewChange?: (bounds: BBox) => void;
  /** Zoom a focused point is shown at, and the most a focused shape is zoomed to (default 8). */
  focusZoom?: number;
  /** Text and hint of the button that fits the extent (default: the area of operations). */
  fitLabel?: string;
  fitHint?: string;
  /** Called with the position of a click that picked no feature (placing a point by hand). */
  onPick?: (lon: number, lat: number) => void;
}

/**
 * Layers the user hid, kept for the session so they stay hidden when the map is opened again on
 * another page. In memory only, like every setting (nothing goes to localStorage).
 */
let hiddenLayersMemory: ReadonlySet<string> = new Set();

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** CSS custom properties (styles.css) that colour the map, so themes stay in one place. */
const colourVars = {
  sea: '--map-sea',
  land: '--map-land',
  coast: '--map-coast',
  border: '--map-border',
  outline: '--map-outline',
  regionFill: '--map-region-fill',
  regionLine: '--map-region-line',
  place: '--map-place',
  placeStroke: '--map-place-stroke',
  unit: '--map-unit',
  selected: '--map-selected',
  hover: '--map-hover',
  cluster: '--map-cluster',
  clusterMid: '--map-cluster-mid',
  clusterHigh: '--map-cluster-high',
  clusterStroke: '--map-cluster-stroke',
  buffer: '--map-buffer',
  ringFlagged: '--map-ring-flagged',
  ringClear: '--map-ring-clear',
  ringDraft: '--map-ring-draft',
  diffAdded: '--map-diff-added',
  diffRemoved: '--map-diff-removed',
  diffMoved: '--map-diff-moved',
  diffChanged: '--map-diff-changed',
  diffSame: '--map-diff-same',
  incident: '--map-incident',
  heatLow: '--map-heat-low',
  heatMid: '--map-heat-mid',
  heatHigh: '--map-heat-high',
  heatTop: '--map-heat-top',
} as const;
type Colours = Record<keyof typeof colourVars, string>;

function readColours(): Colours {
  const style = getComputedStyle(document.documentElement);
  const entries = Object.entries(colourVars).map(([name, cssVar]) => [
    name,
    style.getPropertyValue(cssVar).trim() || '#888888',
  ]);
  return Object.fromEntries(entries) as Colours;
}

const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];

function baseStyle(c: Colours): StyleSpecification {
  return {
    version: 8,
    sources: {
      land: { type: 'geojson', data: emptyCollection },
      countries: { type: 'geojson', data: emptyCollection },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': c.sea } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': c.land } },
      {
        id: 'coast',
        type: 'line',
        source: 'land',
        paint: { 'line-color': c.coast, 'line-width': 0.6 },
      },
      {
        id: 'countries',
        type: 'line',
        source: 'countries',
        paint: { 'line-color': c.border, 'line-width': 0.8, 'line-dasharray': [3, 2] },
      },
    ],
  };
}

/** The MapLibre layers of an overlay, with their paint built from the theme colours. */
function overlayLayers(overlay: MapOverlay, c: Colours): LayerSpecification[] {
  const source = overlay.id;
  switch (overlay.kind) {
    case 'outline':
      return [
        {
          id: `${source}-line`,
          type: 'line',
          source,
          paint: { 'line-color': c.outline, 'line-width': 2.2, 'line-dasharray': [4, 2] },
        },
      ];
    case 'polygons':
      return [
        {
          id: `${source}-fill`,
          type: 'fill',
          source,
          paint: {
            'fill-color': ['case', selected, c.selected, hovered, c.hover, c.regionFill],
            'fill-opacity': ['case', selected, 0.28, hovered, 0.22, 0.12],
          },
        },
        {
          id: `${source}-line`,
          type: 'line',
          source,
          paint: {
            'line-color': ['case', selected, c.selected, c.regionLine],
            'line-width': ['case', selected, 2.5, 1],
          },
        },
      ];
    case 'points': {
      const size: ExpressionSpecification = [
        'interpolate',
        ['linear'],
        ['coalesce', ['to-number', ['get', overlay.sizeBy ?? 'population']], 0],
        0,
        2.5,
        5000,
        3.5,
        50000,
        5.5,
        500000,
        9,
        5000000,
        14,
      ];
      return [
        {
          id: `${source}-circle`,
          type: 'circle',
          source,
          paint: {
            'circle-radius': ['case', selected, ['+', size, 2], size],
            'circle-color': ['case', selected, c.selected, c.place],
            'circle-opacity': 0.9,
            'circle-stroke-color': [
              'case',
              selected,
              c.placeStroke,
              hovered,
              c.hover,
              c.placeStroke,
            ],
            'circle-stroke-width': ['case', selected, 2.5, hovered, 2, 1],
          },
        },
      ];
    }
    case 'units':
      return [
        {
          id: `${source}-halo`,
          type: 'circle',
          source,
          // Feature state cannot filter, so the halo of unselected units is fully transparent.
          paint: {
            'circle-radius': 22,
            'circle-color': c.selected,
            'circle-opacity': ['case', selected, 0.3, 0],
            'circle-stroke-color': c.selected,
            'circle-stroke-width': 2.5,
            'circle-stroke-opacity': ['case', selected, 1, 0],
          },
        },
        {
          id: `${source}-plain`,
          type: 'circle',
          source,
          paint: {
            'circle-radius': 6,
            'circle-color': c.unit,
            'circle-stroke-color': c.placeStroke,
            'circle-stroke-width': 1.5,
          },
        },
        {
          id: `${source}-symbol`,
          type: 'symbol',
          source,
          layout: {
            'icon-image': ['concat', 'sidc:', ['get', 'sidc']],
            'icon-allow-overlap': true,
            'icon-ignore-placement': true,
          },
        },
      ];
    case 'objects':
      return objectLayers(source, c);
    case 'rings':
      return [
        {
          id: `${source}-fill`,
          type: 'fill',
          source,
          paint: { 'fill-color': c.buffer, 'fill-opacity': 0.08 },
        },
        {
          id: `${source}-line`,
          type: 'line',
          source,
          paint: { 'line-color': c.buffer, 'line-width': 2, 'line-dasharray': [3, 2] },
        },
      ];
    case 'diff':
      return diffLayers(source, c);
    case 'aimpoints':
      return aimpointLayers(source, c);
    case 'incidents':
      return incidentLayers(source, c);
    case 'heat':
      return [
        {
          id: `${source}-heat`,
          type: 'heatmap',
          source,
          maxzoom: 15,
          paint: {
            'heatmap-weight': [
              'interpolate',
              ['linear'],
              ['coalesce', ['get', 'weight'], 1],
              0,
              0,
              1,
              0.3,
              20,
              1,
            ],
            'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 0, 1, 12, 3],
            'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 0, 6, 8, 24, 14, 40],
            'heatmap-opacity': 0.75,
            'heatmap-color': [
              'interpolate',
              ['linear'],
              ['heatmap-density'],
              0,
              'rgba(0,0,0,0)',
              0.2,
              c.heatLow,
              0.5,
              c.heatMid,
              0.8,
              c.heatHigh,
              1,
              c.heatTop,
            ],
          },
        },
      ];
  }
}

/**
 * Layers of harm incidents: clusters sized by how many incidents they hold (the count is an HTML
 * label, as for objects), and single incidents as circles sized by the people harmed.
 */
function incidentLayers(source: string, c: Colours): LayerSpecification[] {
  return [
    {
      id: `${source}-cluster`,
      type: 'circle',
      source,
      filter: isCluster,
      paint: {
        'circle-color': c.incident,
        'circle-radius': ['step', ['get', 'point_count'], 13, 10, 16, 50, 20, 250, 25, 1000, 30],
        'circle-opacity': ['case', hovered, 1, 0.85],
        'circle-stroke-color': c.clusterStroke,
        'circle-stroke-width': ['case', hovered, 3, 2],
      },
    },
    {
      id: `${source}-point`,
      type: 'circle',
      source,
      filter: notCluster,
      paint: {
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['coalesce', ['get', 'weight'], 1],
          1,
          6,
          10,
          9,
          100,
          14,
        ],
        'circle-color': ['case', selected, c.selected, c.incident],
        'circle-opacity': 0.9,
        'circle-stroke-color': ['case', selected, c.placeStroke, hovered, c.hover, c.placeStroke],
        'circle-stroke-width': ['case', selected, 3, hovered, 2.5, 1.5],
      },
    },
  ];
}

const isCluster: ExpressionSpecification = ['has', 'point_count'];
const notCluster: ExpressionSpecification = ['!', ['has', 'point_count']];

/** Fill or outline colour of an object's area by category. */
function categoryColour(): ExpressionSpecification {
  const pairs = Object.entries(categoryColours).flat();
  return [
    'match',
    ['get', 'category'],
    ...pairs,
    categoryColours.other,
  ] as unknown as ExpressionSpecification;
}

/**
 * Layers of the protected objects: areas (fill and outline), clusters (circles sized and
 * coloured by how many objects they hold: the style has no glyphs, so the count is an HTML
 * label), a halo under the selected object and one symbol per category.
 */
function objectLayers(source: string, c: Colours): LayerSpecification[] {
  const areas = `${source}-areas`;
  return [
    {
      id: `${source}-area-fill`,
      type: 'fill',
      source: areas,
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: {
        'fill-color': ['case', selected, c.selected, categoryColour()],
        'fill-opacity': ['case', selected, 0.35, hovered, 0.3, 0.18],
      },
    },
    {
      id: `${source}-area-line`,
      type: 'line',
      source: areas,
      paint: {
        'line-color': ['case', selected, c.selected, categoryColour()],
        'line-width': ['case', selected, 3, hovered, 2.2, 1.4],
      },
    },
    {
      id: `${source}-cluster`,
      type: 'circle',
      source,
      filter: isCluster,
      paint: {
        'circle-color': [
          'step',
          ['get', 'point_count'],
          c.cluster,
          25,
          c.clusterMid,
          250,
          c.clusterHigh,
        ],
        'circle-radius': [
          'step',
          ['get', 'point_count'],
          13,
          10,
          16,
          25,
          19,
          100,
          23,
          250,
          27,
          1000,
          32,
        ],
        'circle-opacity': ['case', hovered, 1, 0.88],
        'circle-stroke-color': c.clusterStroke,
        'circle-stroke-width': ['case', hovered, 3, 2],
      },
    },
    {
      id: `${source}-halo`,
      type: 'circle',
      source,
      filter: notCluster,
      paint: {
        'circle-radius': 16,
        'circle-color': c.selected,
        'circle-opacity': ['case', selected, 0.35, hovered, 0.25, 0],
        'circle-stroke-color': ['case', selected, c.selected, c.hover],
        'circle-stroke-width': 2.5,
        'circle-stroke-opacity': ['case', selected, 1, hovered, 0.8, 0],
      },
    },
    {
      id: `${source}-icon`,
      type: 'symbol',
      source,
      filter: notCluster,
      layout: {
        'icon-image': ['concat', objectIconPrefix, ['get', 'category']],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    },
  ];
}

/** Layers of a release diff: unchanged objects quietly, changes in their colours, moves as arrows. */
function diffLayers(source: string, c: Colours): LayerSpecification[] {
  const point = (
    change: 'added' | 'removed' | 'moved' | 'changed',
    colour: string,
  ): LayerSpecification => ({
    id: `${source}-${change}`,
    type: 'circle',
    source,
    filter: ['all', ['==', ['get', 'role'], 'point'], ['==', ['get', 'change'], change]],
    paint: {
      'circle-radius': ['case', selected, 9, 7],
      'circle-color': colour,
      'circle-stroke-color': ['case', selected, c.selected, c.placeStroke],
      'circle-stroke-width': ['case', selected, 3, hovered, 2.5, 1.5],
    },
  });
  return [
    {
      id: `${source}-same`,
      type: 'circle',
      source,
      filter: ['all', ['==', ['get', 'role'], 'point'], ['==', ['get', 'change'], 'same']],
      paint: {
        'circle-radius': ['case', selected, 6, 3.5],
        'circle-color': c.diffSame,
        'circle-opacity': 0.75,
        'circle-stroke-color': ['case', selected, c.selected, c.placeStroke],
        'circle-stroke-width': ['case', selected, 2.5, 0.8],
      },
    },
    {
      id: `${source}-moved-line`,
      type: 'line',
      source,
      filter: ['==', ['get', 'role'], 'move'],
      layout: { 'line-cap': 'round' },
      paint: { 'line-color': c.diffMoved, 'line-width': 2.5, 'line-dasharray': [2, 1.5] },
    },
    {
      id: `${source}-moved-from`,
      type: 'circle',
      source,
      filter: ['==', ['get', 'role'], 'from'],
      paint: {
        'circle-radius': 5,
        'circle-color': c.placeStroke,
        'circle-opacity': 0.6,
        'circle-stroke-color': c.diffMoved,
        'circle-stroke-width': 2,
      },
    },
    point('changed', c.diffChanged),
    point('removed', c.diffRemoved),
    point('added', c.diffAdded),
    point('moved', c.diffMoved),
    {
      id: `${source}-moved-arrow`,
      type: 'symbol',
      source,
      filter: ['==', ['get', 'role'], 'arrow'],
      layout: {
        'icon-image': arrowIconId,
        'icon-rotate': ['get', 'bearing'],
        'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        // The tip (the icon's top, turned to the bearing) just short of the new position's circle.
        'icon-anchor': 'top',
        'icon-offset': [0, 8],
      },
      paint: {
        'icon-color': c.diffMoved,
        'icon-halo-color': c.placeStroke,
        'icon-halo-width': 1.5,
      },
    },
  ];
}

/** Layers of screening aimpoints: rings coloured by their state, and a dot at each centre. */
function aimpointLayers(source: string, c: Colours): LayerSpecification[] {
  const colour = [
    'match',
    ['get', 'state'],
    'flagged',
    c.ringFlagged,
    'clear',
    c.ringClear,
    c.ringDraft,
  ] as unknown as ExpressionSpecification;
  const ring: ExpressionSpecification = ['==', ['get', 'role'], 'ring'];
  return [
    {
      id: `${source}-fill`,
      type: 'fill',
      source,
      filter: ring,
      paint: {
        'fill-color': colour,
        'fill-opacity': ['case', selected, 0.3, hovered, 0.22, 0.12],
      },
    },
    {
      id: `${source}-line`,
      type: 'line',
      source,
      filter: ring,
      paint: {
        'line-color': ['case', selected, c.selected, colour],
        'line-width': ['case', selected, 3.5, hovered, 2.8, 2],
      },
    },
    {
      id: `${source}-centre`,
      type: 'circle',
      source,
      filter: ['==', ['get', 'role'], 'centre'],
      paint: {
        'circle-radius': 4,
        'circle-color': colour,
        'circle-stroke-color': c.placeStroke,
        'circle-stroke-width': 1.5,
      },
    },
  ];
}

/** A GeoJSON source the map holds for an overlay. */
interface SourcePlan {
  id: string;
  data: FeatureCollection;
  cluster?: boolean;
}

const splitCache = new WeakMap<
  FeatureCollection,
  { points: FeatureCollection; areas: FeatureCollection }
>();

/**
 * Protected objects split for drawing: a point at each centroid (clustered), and the areas and
 * lines themselves. Cached per collection, since the overlays are handed over on every render.
 */
function splitObjects(data: FeatureCollection) {
  const cached = splitCache.get(data);
  if (cached) return cached;
  const points: Feature[] = [];
  const areas: Feature[] = [];
  for (const feature of data.features) {
    const lon = Number(feature.properties?.lon);
    const lat = Number(feature.properties?.lat);
    const geometry = feature.geometry;
    if (Number.isFinite(lon) && Number.isFinite(lat)) {
      points.push({
        type: 'Feature',
        properties: feature.properties,
        geometry: { type: 'Point', coordinates: [lon, lat] },
      });
    }
    if (geometry && geometry.type !== 'Point' && geometry.type !== 'MultiPoint') {
      areas.push(feature);
    }
  }
  const split = {
    points: { type: 'FeatureCollection' as const, features: points },
    areas: { type: 'FeatureCollection' as const, features: areas },
  };
  splitCache.set(data, split);
  return split;
}

/** The sources of an overlay: one, except protected objects (points and areas). */
function overlaySources(overlay: MapOverlay): SourcePlan[] {
  const data = overlay.data ?? emptyCollection;
  if (overlay.kind === 'incidents') return [{ id: overlay.id, data, cluster: true }];
  if (overlay.kind !== 'objects') return [{ id: overlay.id, data }];
  const { points, areas } = splitObjects(data);
  return [
    { id: overlay.id, data: points, cluster: true },
    { id: `${overlay.id}-areas`, data: areas },
  ];
}

/** The ids of the sources an overlay's selection and hover apply to. */
function overlaySourceIds(overlay: MapOverlay): string[] {
  return overlay.kind === 'objects' ? [overlay.id, `${overlay.id}-areas`] : [overlay.id];
}

/** Layer ids a click or hover can pick, top-most first. */
function pickableLayers(overlays: MapOverlay[], notation: 'military' | 'civil'): string[] {
  const ids: string[] = [];
  for (const overlay of overlays) {
    if (overlay.kind === 'polygons') ids.push(`${overlay.id}-fill`);
    if (overlay.kind === 'points') ids.push(`${overlay.id}-circle`);
    if (overlay.kind === 'units')
      ids.push(notation === 'military' ? `${overlay.id}-symbol` : `${overlay.id}-plain`);
    if (overlay.kind === 'objects') {
      ids.push(`${overlay.id}-area-fill`, `${overlay.id}-area-line`);
      ids.push(`${overlay.id}-cluster`, `${overlay.id}-icon`);
    }
    if (overlay.kind === 'aimpoints') ids.push(`${overlay.id}-fill`);
    if (overlay.kind === 'incidents') ids.push(`${overlay.id}-cluster`, `${overlay.id}-point`);
    if (overlay.kind === 'diff') {
      for (const change of ['same', 'changed', 'removed', 'added', 'moved'])
        ids.push(`${overlay.id}-${change}`);
    }
  }
  return ids.reverse();
}

/** Whether a layer of an overlay is drawn, given the layer panel and the notation. */
function isLayerShown(layerId: string, visible: boolean, notation: 'military' | 'civil') {
  if (!visible) return false;
  if (layerId.endsWith('-symbol')) return notation === 'military';
  if (layerId.endsWith('-plain')) return notation === 'civil';
  return true;
}

/** Draws an APP-6 symbol (`sidc:<code>`) or an object or diff symbol the style asks for. */
function addSymbolImage(map: maplibregl.Map, imageId: string): void {
  if (map.hasImage(imageId)) return;
  if (!imageId.startsWith('sidc:')) {
    const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
    const drawn = drawMapSymbol(imageId, ratio);
    if (drawn) map.addImage(imageId, drawn.image, { pixelRatio: drawn.pixelRatio, sdf: drawn.sdf });
    return;
  }
  const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
  const canvas = new ms.Symbol(imageId.slice('sidc:'.length), { size: 24 }).asCanvas(ratio);
  const context = canvas.getContext('2d');
  if (!context || canvas.width === 0 || canvas.height === 0) return;
  const image = context.getImageData(0, 0, canvas.width, canvas.height);
  map.addImage(imageId, image, { pixelRatio: ratio });
}

let basemap: Promise<{ land: FeatureCollection; countries: FeatureCollection }> | null = null;

/**
 * The Natural Earth basemap, fetched once per session: it is static, and large enough (1:50m)
 * that a page change should not fetch it again. A failure is not cached.
 */
function loadBasemap() {
  basemap ??= Promise.all([
    apiGet<FeatureCollection>('/api/basemap/land'),
    apiGet<FeatureCollection>('/api/basemap/countries'),
  ]).then(
    ([land, countries]) => ({ land, countries }),
    (error: unknown) => {
      basemap = null;
      throw error;
    },
  );
  return basemap;
}

/** Whether this browser can draw WebGL at all (MapLibre needs WebGL 2). */
function hasWebgl(): boolean {
  if (webglSupport === null) {
    try {
      webglSupport = document.createElement('canvas').getContext('webgl2') !== null;
    } catch {
      webglSupport = false;
    }
  }
  return webglSupport;
}
let webglSupport: boolean | null = null;

/** A cluster's count, short enough for its circle. */
function clusterLabel(count: number): string {
  if (count < 1000) return String(count);
  return count < 10_000 ? `${(count / 1000).toFixed(1)}k` : `${Math.round(count / 1000)}k`;
}

function featureName(feature: MapGeoJSONFeature | Feature): string {
  const name = feature.properties?.name;
  return typeof name === 'string' ? name : '';
}

interface Tooltip {
  x: number;
  y: number;
  text: string;
}

/**
 * The map: basemap, data overlays, layer panel, cursor readout in MGRS and lat/lon, scale bar and
 * navigation. Sets `data-map-ready="true"` on its container once the map went idle with every
 * overlay's data drawn, and exposes the map as `window.__civitasMap`.
 *
 * @example
 *   <MapView label="Map of AO ACACIA" overlays={[{ kind: 'polygons', id: 'regions', label: 'Regions',
 *     data: regions }]} extent={area.bbox} selection={null} onSelect={setSelection} />
 */
export function MapView(props: MapViewProps) {
  const { overlays, extent, selection, onSelect, focus, onViewChange, label } = props;
  const focusZoom = props.focusZoom ?? 8;
  const { theme, notation } = useSettings();
  const containerRef = useRef<HTMLDivElement>(null);
  // The map once its style has loaded (null before): everything else waits for it.
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const styleLoaded = map !== null;
  const [basemapLoaded, setBasemapLoaded] = useState(false);
  const [noWebgl, setNoWebgl] = useState(() => !hasWebgl());
  const [idleWith, setIdleWith] = useState<readonly MapOverlay[] | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => hiddenLayersMemory);
  const [tooltip, setTooltip] = useState<Tooltip | null>(null);
  const coloursRef = useRef<Colours | null>(null);
  const onPick = props.onPick;
  const callbacks = useRef({ onSelect, onViewChange, onPick });
  useEffect(() => {
    callbacks.current = { onSelect, onViewChange, onPick };
  });

  // Create the map once.
  useEffect(() => {
    const container = containerRef.current;
    if (!container || !hasWebgl()) return;
    const colours = readColours();
    coloursRef.current = colours;
    let instance: maplibregl.Map;
    try {
      instance = new maplibregl.Map({
        container,
        style: baseStyle(colours),
        bounds: [-25, -40, 60, 60],
        attributionControl: { compact: true, customAttribution: t('map.attribution') },
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        maxPitch: 0,
        renderWorldCopies: false,
        locale: {
          'NavigationControl.ZoomIn': t('map.zoomIn'),
          'NavigationControl.ZoomOut': t('map.zoomOut'),
          'NavigationControl.ResetBearing': t('map.resetBearing'),
          'AttributionControl.ToggleAttribution': t('map.toggleAttribution'),
          'Map.Title': t('map.mapRegion'),
        },
      });
    } catch (error) {
      console.error(error);
      void Promise.resolve().then(() => setNoWebgl(true));
      return;
    }
    instance.touchZoomRotate.disableRotation();
    instance.keyboard.disableRotation();
    instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    instance.addControl(
      new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }),
      'bottom-left',
    );
    instance.on('styleimagemissing', (event) => addSymbolImage(instance, event.id));
    instance.on('load', () => setMap(instance));
    instance.on('moveend', () => {
      const b = instance.getBounds();
      callbacks.current.onViewChange?.([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
    });
    window.__civitasMap = instance;
    return () => {
      if (window.__civitasMap === instance) delete window.__civitasMap;
      instance.remove();
      setMap(null);
    };
  }, []);

  // Basemap: Natural Earth land and country borders from our server.
  useEffect(() => {
    if (!map || !styleLoaded) return;
    let current = true;
    loadBasemap().then(
      ({ land, countries }) => {
        if (!current) return;
        map.getSource<GeoJSONSource>('land')?.setData(land);
        map.getSource<GeoJSONSource>('countries')?.setData(countries);
        setBasemapLoaded(true);
      },
      (error: unknown) => {
        if (!current) return;
        showProblem(toProblem(error));
        // The data layers are still worth showing on a plain sea.
        setBasemapLoaded(true);
      },
    );
    return () => {
      current = false;
    };
  }, [map, styleLoaded]);

  // Data overlays: add sources and layers once, then only swap data; remove those no longer
  // asked for (a page can change what it shows without a new map).
  const drawnRef = useRef(new Map<string, { sources: string[]; layers: string[] }>());
  useEffect(() => {
    if (!map || !styleLoaded) return;
    const colours = coloursRef.current ?? readColours();
    const drawn = drawnRef.current;
    const wanted = new Set(overlays.map((overlay) => overlay.id));
    for (const [id, parts] of drawn) {
      if (wanted.has(id)) continue;
      for (const layer of parts.layers) if (map.getLayer(layer)) map.removeLayer(layer);
      for (const source of parts.sources) if (map.getSource(source)) map.removeSource(source);
      drawn.delete(id);
    }
    for (const overlay of overlays) {
      const plans = overlaySources(overlay);
      if (drawn.has(overlay.id)) {
        for (const plan of plans) map.getSource<GeoJSONSource>(plan.id)?.setData(plan.data);
        continue;
      }
      for (const plan of plans) {
        map.addSource(plan.id, {
          type: 'geojson',
          data: plan.data,
          promoteId: 'id',
          ...(plan.cluster ? { cluster: true, clusterRadius: 44, clusterMaxZoom: 13 } : {}),
        });
      }
      const layers = overlayLayers(overlay, colours);
      for (const layer of layers) map.addLayer(layer);
      drawn.set(overlay.id, { sources: plans.map((p) => p.id), layers: layers.map((l) => l.id) });
    }
  }, [map, styleLoaded, overlays]);

  // Visibility from the layer panel and the notation setting.
  useEffect(() => {
    if (!map || !styleLoaded) return;
    map.setLayoutProperty(
      'countries',
      'visibility',
      hidden.has('basemap-countries') ? 'none' : 'visible',
    );
    for (const overlay of overlays) {
      for (const layer of overlayLayers(overlay, coloursRef.current ?? readColours())) {
        if (!map.getLayer(layer.id)) continue;
        const shown = isLayerShown(layer.id, !hidden.has(overlay.id), notation);
        map.setLayoutProperty(layer.id, 'visibility', shown ? 'visible' : 'none');
      }
    }
  }, [map, styleLoaded, overlays, hidden, notation]);

  // Readiness: after the basemap and every overlay's data were handed to the map, wait for the
  // first `idle` (everything drawn), then tell the browser test.
  // The overlays drawn at that idle are remembered, so new data (another area) resets readiness.
  // Once drawn, new data (an edit, a selection's ring) is swapped in without "Loading map…".
  const allData = basemapLoaded && overlays.every((overlay) => overlay.data !== null);
  const ready = allData && idleWith === overlays;
  useEffect(() => {
    if (!map || !allData) return;
    let done = false;
    const onIdle = () => {
      if (!done) setIdleWith(overlays);
    };
    map.once('idle', onIdle);
    map.triggerRepaint();
    return () => {
      done = true;
      map.off('idle', onIdle);
    };
  }, [map, allData, overlays]);

  // Theme: repaint from the CSS custom properties of the new theme.
  useEffect(() => {
    if (!map || !styleLoaded) return;
    const colours = readColours();
    coloursRef.current = colours;
    const base = baseStyle(colours).layers;
    const layers = [...base, ...overlays.flatMap((overlay) => overlayLayers(overlay, colours))];
    for (const layer of layers) {
      if (!map.getLayer(layer.id) || !('paint' in layer) || !layer.paint) continue;
      for (const [property, value] of Object.entries(layer.paint)) {
        map.setPaintProperty(layer.id, property, value);
      }
    }
    // Overlays are deliberately not a dependency: their paint does not change with their data.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, styleLoaded, theme]);

  // Selection highlight through feature state (on every source of the selected overlay).
  useEffect(() => {
    if (!map || !styleLoaded || !selection) return;
    const overlay = overlays.find((o) => o.id === selection.layer);
    const sources = overlay ? overlaySourceIds(overlay) : [selection.layer];
    const targets = sources
      .filter((source) => map.getSource(source))
      .map((source) => ({ source, id: selection.id }));
    for (const target of targets) map.setFeatureState(target, { selected: true });
    return () => {
      for (const target of targets) {
        if (map.getSource(target.source)) map.setFeatureState(target, { selected: false });
      }
    };
  }, [map, styleLoaded, selection, overlays]);

  // Fit the extent whenever it (or the fit key) changes.
  const extentKey = extent ? extent.join(',') : '';
  const extentRef = useRef(extent);
  useEffect(() => {
    extentRef.current = extent;
  });
  const fitOn = extentKey ? (props.fitKey ?? extentKey) : '';
  useEffect(() => {
    const box = extentRef.current;
    if (!map || !fitOn || !box) return;
    map.fitBounds(box, { padding: 32, animate: false, maxZoom: 16 });
  }, [map, fitOn]);

  // Fly to a feature on request (a row chosen in a table).
  useEffect(() => {
    if (!map || !focus) return;
    const overlay = overlays.find((o) => o.id === focus.target.layer);
    const feature = overlay?.data?.features.find((f) => f.properties?.id === focus.target.id);
    const box = geometryBbox((feature?.geometry as Geometry | undefined) ?? null);
    if (!box) return;
    if (box[0] === box[2] && box[1] === box[3]) {
      map.flyTo({ center: [box[0], box[1]], zoom: Math.max(map.getZoom(), focusZoom) });
    } else {
      map.fitBounds(box, { padding: 48, maxZoom: Math.max(10, focusZoom) });
    }
    // Fly only when a new focus request arrives, not when data refreshes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, focus]);

  // Clicks select (or open a cluster), hovering shows a name.
  const pickable = pickableLayers(overlays, notation);
  const pickableKey = pickable.join(',');
  // Which overlay each source belongs to: a selection names the overlay, not the source.
  const ownerKey = overlays
    .flatMap((o) => overlaySourceIds(o).map((source) => `${source}=${o.id}`))
    .join(',');
  useEffect(() => {
    if (!map || !styleLoaded) return;
    const layers = pickableKey.split(',').filter((id) => map.getLayer(id));
    const owners = new Map(
      ownerKey
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string]),
    );
    let hover: { source: string; id: string | number } | null = null;
    const clearHover = () => {
      if (hover && map.getSource(hover.source)) map.setFeatureState(hover, { hover: false });
      hover = null;
    };
    const pick = (point: maplibregl.PointLike) =>
      layers.length > 0 ? map.queryRenderedFeatures(point, { layers })[0] : undefined;
    const onClick = (event: maplibregl.MapMouseEvent) => {
      const feature = pick(event.point);
      const clusterId = feature?.properties?.cluster_id;
      if (feature && typeof clusterId === 'number') {
        // A cluster opens: zoom to where it falls apart.
        const source = map.getSource<GeoJSONSource>(feature.source);
        const centre = feature.geometry.type === 'Point' ? feature.geometry.coordinates : null;
        void source?.getClusterExpansionZoom(clusterId).then(
          (zoom) => centre && map.easeTo({ center: [centre[0] ?? 0, centre[1] ?? 0], zoom }),
          () => undefined,
        );
        return;
      }
      const id = feature?.properties?.id;
      if (!feature && callbacks.current.onPick) {
        callbacks.current.onPick(event.lngLat.lng, event.lngLat.lat);
        return;
      }
      callbacks.current.onSelect(
        feature && typeof id === 'string'
          ? { layer: owners.get(feature.source) ?? feature.source, id }
          : null,
      );
    };
    const onMove = (event: maplibregl.MapMouseEvent) => {
      const feature = pick(event.point);
      clearHover();
      if (feature && feature.id !== undefined) {
        hover = { source: feature.source, id: feature.id };
        map.setFeatureState(hover, { hover: true });
        map.getCanvas().style.cursor = 'pointer';
        const count = feature.properties?.point_count;
        setTooltip({
          x: event.point.x,
          y: event.point.y,
          text: typeof count === 'number' ? t('map.cluster', { count }) : featureName(feature),
        });
      } else {
        map.getCanvas().style.cursor = '';
        setTooltip(null);
      }
    };
    const onLeave = () => {
      clearHover();
      setTooltip(null);
    };
    map.on('click', onClick);
    map.on('mousemove', onMove);
    map.on('mouseout', onLeave);
    return () => {
      clearHover();
      map.off('click', onClick);
      map.off('mousemove', onMove);
      map.off('mouseout', onLeave);
    };
  }, [map, styleLoaded, pickableKey, ownerKey]);

  // HTML name labels for the largest places (the style has no glyphs, so no text layers).
  const labelled = overlays.find(
    (o): o is Extract<MapOverlay, { kind: 'points' }> =>
      o.kind === 'points' && (o.labelTop ?? 0) > 0,
  );
  const labelsShown = labelled ? !hidden.has(labelled.id) : false;
  useEffect(() => {
    if (!map || !labelled?.data || !labelsShown) return;
    const sizeBy = labelled.sizeBy ?? 'population';
    const top = [...labelled.data.features]
      .filter((f) => f.geometry?.type === 'Point')
      .sort((a, b) => Number(b.properties?.[sizeBy] ?? 0) - Number(a.properties?.[sizeBy] ?? 0))
      .slice(0, labelled.labelTop);
    const markers = top.map((feature) => {
      const element = document.createElement('div');
      element.className = 'map-label';
      element.textContent = featureName(feature);
      const [lon = 0, lat = 0] =
        feature.geometry.type === 'Point' ? feature.geometry.coordinates : [];
      return new maplibregl.Marker({ element, anchor: 'left', offset: [7, 0] })
        .setLngLat([lon, lat])
        .addTo(map);
    });
    return () => markers.forEach((marker) => marker.remove());
  }, [map, labelled, labelsShown]);

  // Cluster counts as HTML labels over the cluster circles (no glyphs in the style).
  const clustered = overlays
    .filter((o) => (o.kind === 'objects' || o.kind === 'incidents') && !hidden.has(o.id))
    .map((o) => o.id)
    .join(',');
  useEffect(() => {
    if (!map || !styleLoaded || !clustered) return;
    const sources = clustered.split(',');
    const markers = new Map<string, maplibregl.Marker>();
    const update = () => {
      const seen = new Set<string>();
      for (const source of sources) {
        if (!map.getSource(source) || !map.isSourceLoaded(source)) continue;
        for (const feature of map.querySourceFeatures(source)) {
          const props = feature.properties;
          if (!props?.cluster || feature.geometry.type !== 'Point') continue;
          const key = `${source}:${String(props.cluster_id)}:${String(props.point_count)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          if (markers.has(key)) continue;
          const element = document.createElement('div');
          element.className = 'map-cluster-label';
          element.textContent = clusterLabel(Number(props.point_count));
          element.setAttribute('aria-hidden', 'true');
          const [lon = 0, lat = 0] = feature.geometry.coordinates;
          markers.set(key, new maplibregl.Marker({ element }).setLngLat([lon, lat]).addTo(map));
        }
      }
      for (const [key, marker] of markers) {
        if (!seen.has(key)) {
          marker.remove();
          markers.delete(key);
        }
      }
    };
    map.on('render', update);
    update();
    return () => {
      map.off('render', update);
      for (const marker of markers.values()) marker.remove();
    };
  }, [map, styleLoaded, clustered]);

  const toggleLayer = useCallback((id: string) => {
    setHidden((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      hiddenLayersMemory = next;
      return next;
    });
  }, []);

  const fitExtent = () => {
    if (map && extent) map.fitBounds(extent, { padding: 32, maxZoom: 16 });
  };

  return (
    <div className="map-view" data-testid="map-view-frame">
      <div className="map-stage">
        <div
          ref={containerRef}
          className="map-canvas"
          data-testid="map-view"
          data-map-ready={ready ? 'true' : 'false'}
          aria-label={label}
          role="region"
        />
        {noWebgl ? (
          <div className="map-message" role="status">
            {t('map.noWebgl')}
          </div>
        ) : !ready && (!allData || idleWith === null) ? (
          <div className="map-loading" role="status">
            {t('map.loading')}
          </div>
        ) : null}
        <LayerPanel
          overlays={overlays}
          hidden={hidden}
          onToggle={toggleLayer}
          basemapId="basemap-countries"
        />
        {tooltip && tooltip.text ? (
          <div
            className="map-tooltip"
            style={{ transform: `translate(${tooltip.x + 12}px, ${tooltip.y + 12}px)` }}
            aria-hidden="true"
          >
            {tooltip.text}
          </div>
        ) : null}
      </div>
      <div className="map-status">
        <CursorReadout map={map} />
        <button
          type="button"
          className="button button-small"
          onClick={fitExtent}
          disabled={!extent || !map}
          title={props.fitHint ?? t('map.fitAreaHint')}
          data-testid="map-fit-area"
        >
          {props.fitLabel ?? t('map.fitArea')}
        </button>
      </div>
    </div>
  );
}
