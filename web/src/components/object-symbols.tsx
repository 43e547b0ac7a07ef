// The symbols of protected objects, one per category, drawn from the same SVG path data in the
// page (tables, legend: inline SVG) and on the map (canvas images added to MapLibre, since the
// style has no sprite). Cultural property carries the blue shield of the 1954 Hague Convention
// (art. 16: a shield, pointed below, per saltire blue and white); medical sites the red cross;
// the others a plain coloured disc with a white pictogram, distinct in both shape and colour.
import type { ObjectCategoryCode } from '../contract.js';

/** One drawn part of a symbol: an SVG path, filled or stroked, in a 24 × 24 box. */
interface SymbolPart {
  d: string;
  fill?: string;
  stroke?: string;
  width?: number;
}

/** The royal blue of the blue shield, and the red of the red cross emblem. */
const shieldBlue = '#1c3f94';
const emblemRed = '#d52b1e';

/** A white disc with a dark rim behind a pictogram: readable on light and dark basemaps. */
const disc = (colour: string): SymbolPart[] => [
  { d: 'M12 1.5a10.5 10.5 0 1 1 0 21a10.5 10.5 0 1 1 0-21z', fill: colour },
  { d: 'M12 1.5a10.5 10.5 0 1 1 0 21a10.5 10.5 0 1 1 0-21z', stroke: '#ffffff', width: 1.6 },
];

/**
 * The parts of each category's symbol, bottom to top. Colours are chosen to be told apart with
 * the common colour-vision deficiencies as well as by their pictograms.
 */
export const objectSymbols: Readonly<Record<ObjectCategoryCode, readonly SymbolPart[]>> = {
  cultural: [
    // The shield: 15 wide, 22.5 high; top triangle and lower square blue, side triangles white.
    { d: 'M4.5 1H19.5V16L12 23.5L4.5 16Z', fill: '#ffffff' },
    { d: 'M4.5 1H19.5L12 8.5Z', fill: shieldBlue },
    { d: 'M12 8.5L19.5 16L12 23.5L4.5 16Z', fill: shieldBlue },
    { d: 'M4.5 1H19.5V16L12 23.5L4.5 16Z', stroke: '#0b1a3d', width: 1 },
  ],
  medical: [
    { d: 'M3 3H21V21H3Z', fill: '#ffffff' },
    { d: 'M3 3H21V21H3Z', stroke: '#5b6570', width: 1 },
    { d: 'M9.75 5.5H14.25V9.75H18.5V14.25H14.25V18.5H9.75V14.25H5.5V9.75H9.75Z', fill: emblemRed },
  ],
  education: [
    ...disc('#6a3d9a'),
    // An open book.
    {
      d: 'M5.5 8.2C7.7 7.4 9.9 7.6 11.4 8.8V17.2C9.9 16.1 7.7 15.9 5.5 16.7ZM18.5 8.2C16.3 7.4 14.1 7.6 12.6 8.8V17.2C14.1 16.1 16.3 15.9 18.5 16.7Z',
      fill: '#ffffff',
    },
  ],
  religious: [
    ...disc('#8c510a'),
    // A domed hall with an arched door: a place of worship of any faith.
    { d: 'M6.5 18V11.5A5.5 5.5 0 0 1 17.5 11.5V18Z', fill: '#ffffff' },
    { d: 'M10.6 18V14.6A1.4 1.4 0 0 1 13.4 14.6V18Z', fill: '#8c510a' },
  ],
  water: [
    ...disc('#0277bd'),
    // A drop.
    { d: 'M12 5C14.8 8.6 17 11.3 17 13.9A5 5 0 0 1 7 13.9C7 11.3 9.2 8.6 12 5Z', fill: '#ffffff' },
  ],
  power: [
    ...disc('#c77700'),
    // A lightning bolt.
    { d: 'M13.6 4.5L7.6 13.2H11.4L10.4 19.5L16.4 10.8H12.6Z', fill: '#ffffff' },
  ],
  communications: [
    ...disc('#00796b'),
    // A mast sending waves.
    { d: 'M11 10.5H13L14.8 18.5H9.2Z', fill: '#ffffff' },
    {
      d: 'M8.6 6.8A4.8 4.8 0 0 0 8.6 13.2M15.4 6.8A4.8 4.8 0 0 1 15.4 13.2',
      stroke: '#ffffff',
      width: 1.5,
    },
    { d: 'M12 8.2a1.6 1.6 0 1 1 0 3.2a1.6 1.6 0 1 1 0-3.2z', fill: '#ffffff' },
  ],
  transport: [
    ...disc('#455a64'),
    // The front of a bus or tram.
    { d: 'M8 5.8H16A1.5 1.5 0 0 1 17.5 7.3V16.5H6.5V7.3A1.5 1.5 0 0 1 8 5.8Z', fill: '#ffffff' },
    { d: 'M8 7.8H16V11.6H8Z', fill: '#455a64' },
    { d: 'M7.5 16.5H9.7V18.6H7.5ZM14.3 16.5H16.5V18.6H14.3Z', fill: '#ffffff' },
  ],
  humanitarian: [
    ...disc('#b23c17'),
    // A shelter: a tent with its door.
    { d: 'M12 5.5L18.8 17.8H5.2Z', fill: '#ffffff' },
    { d: 'M12 11L14.2 17.8H9.8Z', fill: '#b23c17' },
  ],
  other: [...disc('#5f6b76'), { d: 'M12 6.5L17.5 12L12 17.5L6.5 12Z', fill: '#ffffff' }],
};

/** The main colour of each category, for polygon fills and outlines on the map. */
export const categoryColours: Readonly<Record<ObjectCategoryCode, string>> = {
  cultural: shieldBlue,
  medical: emblemRed,
  education: '#6a3d9a',
  religious: '#8c510a',
  water: '#0277bd',
  power: '#c77700',
  communications: '#00796b',
  transport: '#455a64',
  humanitarian: '#b23c17',
  other: '#5f6b76',
};

/** The map image id of a category's symbol (the style's `icon-image`). */
export const objectIconPrefix = 'po:';

/** The map image id of the arrowhead at the new position of a moved object. */
export const arrowIconId = 'diff:arrow';

/** An arrowhead pointing up (north before rotation): drawn as a mask, coloured by the style. */
const arrowParts: readonly SymbolPart[] = [{ d: 'M12 3L19 20L12 15.5L5 20Z', fill: '#000000' }];

/**
 * Draws a map image the style asks for (`po:<category>`, or the `diff:arrow` mask, which is
 * added as an SDF image so the style colours it for the theme) at the screen's pixel ratio; null
 * for an id that is not ours.
 *
 * @example const drawn = drawMapSymbol('po:cultural', 2);
 */
export function drawMapSymbol(
  imageId: string,
  ratio: number,
): { image: ImageData; pixelRatio: number; sdf: boolean } | null {
  let parts: readonly SymbolPart[] | undefined;
  let size = 22;
  const sdf = imageId === arrowIconId;
  if (sdf) {
    parts = arrowParts;
    size = 24;
  } else if (imageId.startsWith(objectIconPrefix)) {
    parts = objectSymbols[imageId.slice(objectIconPrefix.length) as ObjectCategoryCode];
  }
  if (!parts) return null;
  const pixels = Math.round(size * ratio);
  const canvas = document.createElement('canvas');
  canvas.width = pixels;
  canvas.height = pixels;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.scale(pixels / 24, pixels / 24);
  context.lineJoin = 'round';
  context.lineCap = 'round';
  for (const part of parts) {
    const path = new Path2D(part.d);
    if (part.fill) {
      context.fillStyle = part.fill;
      context.fill(path);
    }
    if (part.stroke) {
      context.strokeStyle = part.stroke;
      context.lineWidth = part.width ?? 1;
      context.stroke(path);
    }
  }
  return { image: context.getImageData(0, 0, pixels, pixels), pixelRatio: ratio, sdf };
}

/**
 * A category's symbol as inline SVG, for tables and the legend (decorative: the category's name
 * is always written beside it).
 *
 * @example <ObjectSymbol category="cultural" />
 */
export function ObjectSymbol({
  category,
  size = 16,
}: {
  category: ObjectCategoryCode;
  size?: number;
}) {
  const parts = objectSymbols[category] ?? objectSymbols.other;
  return (
    <svg
      className="object-symbol"
      viewBox="0 0 24 24"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
    >
      {parts.map((part, index) => (
        <path
          key={index}
          d={part.d}
          fill={part.fill ?? 'none'}
          stroke={part.stroke ?? 'none'}
          strokeWidth={part.width}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      ))}
    </svg>
  );
}
