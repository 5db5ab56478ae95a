// A minimal PNG decoder for the data loaders (Node only): 8-bit RGBA or RGB, non-interlaced,
// with the five scanline filters of the PNG specification (None, Sub, Up, Average, Paeth).
// Enough for the small icons vega-datasets ships; anything else is refused with a message.
import {inflateSync} from "node:zlib";

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** bytes of a PNG → {width, height, channels, pixels (Uint8Array, row-major, channels per pixel)} */
export function decodePng(buf) {
  for (let i = 0; i < 8; i++) if (buf[i] !== SIGNATURE[i]) throw new Error("decodePng: not a PNG file");
  let pos = 8, width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), type = buf.toString("latin1", pos + 4, pos + 8), data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      bitDepth = data[8]; colorType = data[9]; interlace = data[12];
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    pos += 12 + len;
  }
  if (bitDepth !== 8 || (colorType !== 6 && colorType !== 2) || interlace !== 0) {
    throw new Error(`decodePng: only 8-bit RGB/RGBA non-interlaced PNGs, got bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const channels = colorType === 6 ? 4 : 3, stride = width * channels;
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride, prev = (y - 1) * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[out + x - channels] : 0, b = y > 0 ? pixels[prev + x] : 0, c = x >= channels && y > 0 ? pixels[prev + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`decodePng: unknown filter ${filter} on row ${y}`);
      pixels[out + x] = v & 255;
    }
  }
  return {width, height, channels, pixels};
}

/**
 * Gray "ink" (1 − luminance, the image composited on white, Rec. 709 weights), averaged over
 * `block`×`block` blocks: {H, W, values (H·W numbers in [0, 1], rounded to 3 decimals)}.
 */
export function grayInk({width, height, channels, pixels}, block = 1) {
  const H = Math.floor(height / block), W = Math.floor(width / block), values = new Array(H * W).fill(0);
  for (let y = 0; y < H * block; y++) for (let x = 0; x < W * block; x++) {
    const i = (y * width + x) * channels;
    const alpha = channels === 4 ? pixels[i + 3] / 255 : 1;
    const lum = (0.2126 * pixels[i] + 0.7152 * pixels[i + 1] + 0.0722 * pixels[i + 2]) / 255;
    const onWhite = alpha * lum + (1 - alpha);
    values[Math.floor(y / block) * W + Math.floor(x / block)] += (1 - onWhite) / (block * block);
  }
  return {H, W, values: values.map((v) => Math.round(v * 1000) / 1000)};
}
