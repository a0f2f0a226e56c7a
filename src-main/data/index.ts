// The data layer's pure API, safe for the renderer and workers (no Node, no DOM decoding).
// Node-only pieces are imported directly: session-store.node.ts and export-py.node.ts.
export { DataFileError, MAX_VALUES, type DataErrorCode, type TextPosition } from './errors';
export { checkXYMatch, type NumericData } from './numbers';
export { parseCsv, parseCsvText, formatCsv, formatFloat32, type CsvOptions, type CsvDelimiter } from './csv';
export { parseJson, parseJsonText, type JsonOptions } from './json';
export { parseNpy, parseNpyArray, parseNpyHeader, encodeNpyFloat32, type NpyArray, type NpyHeader, type NpyOptions } from './npy';
export {
  imageToVector,
  vectorToRgba,
  readImageDimensions,
  checkImageDimensions,
  checkImageSide,
  DEFAULT_IMAGE_OPTIONS,
  DEFAULT_IMAGE_SIDE,
  MIN_IMAGE_SIDE,
  MAX_IMAGE_SIDE,
  MAX_SOURCE_MEGAPIXELS,
  IMAGE_EXTENSIONS,
  IMAGE_MIME_TYPES,
  type RgbaPixels,
  type ImageVector,
  type ImageVectorOptions,
  type ImageFit,
  type ImageColor,
  type ImageScale,
  type ImageFormat,
  type ImageHeaderInfo,
} from './image';
export { drawRunPictures, predictionPicture, weightsHeatmap, pictureBuffers, UNKNOWN_RGB, type Heatmap } from './pictures';
export { loadDataFile, extensionOf, DATA_FILE_EXTENSIONS, DATA_FILE_FILTERS, NUMBER_EXTENSIONS, type LoadedDataFile } from './load';
export {
  parseSession,
  serializeSession,
  makeRunSummary,
  summarizeWeights,
  trainConfigFromSession,
  SessionFileError,
  SESSION_EXTENSION,
  SESSION_FILE_FILTERS,
  SESSION_FORMAT,
  SESSION_VERSION,
  DEFAULT_SETTINGS,
  type Session,
  type SessionData,
  type SessionImage,
  type SessionImageOptions,
  type SessionSettings,
  type RunSummary,
  type WeightSummary,
  type Language,
  type SessionErrorCode,
} from './session';
export { exportPyTorchScript, lossHistoryCsv, parametersCsv, type PyTorchExport, type PyTorchExportOptions, type ParametersForCsv } from './export';
export { float32ToBase64, base64ToFloat32 } from './base64';
