// Every sentence the data parsers and loaders say to a learner, in English and Chinese. A parser
// throws an id plus parameters (a DataMessage), not finished text: the window words it in the
// learner's language (and again after a language switch), while `error.message` stays the English
// sentence the CLI prints and the tests check. Parameters may be messages themselves (e.g. "the
// CSV file" as the subject, or why a number is unusable); they are worded in the same language.
// Pure TS.

export type MessageLang = 'en' | 'zh-CN';
export type MessageParam = string | number | DataMessage;

export interface DataMessage {
  readonly id: DataMessageId;
  readonly params: Readonly<Record<string, MessageParam>>;
}

export const dataMessagesEn = {
  // Subjects when the caller gave no file name.
  'source.csv': 'The CSV file',
  'source.json': 'The JSON file',
  'source.npy': 'The .npy file',
  'source.image': 'The image',

  // Shared (errors.ts, numbers.ts)
  'data.tooManyValues': '{what} holds {count} values; GradLab trains on at most {max}. Use a smaller sample of the data.',
  'data.moreThanMaxValues': '{what} holds more than {max} values; GradLab trains on at most {max}. Use a smaller sample of the data.',
  'data.fileTooLarge': '{source} is {size} MB; GradLab reads data files of up to {max} MB. Use a smaller sample of the data.',
  'number.notFinite': 'is not a finite number',
  'number.tooLarge': 'is too large for float32 (the largest is about 3.4e38)',
  'xy.noValues': '{which} has no values; load some numbers first.',
  'xy.lengths': 'x has {x} values but y has {y}; they need the same number, because the prediction w*x + b is compared with y value by value.',

  // CSV
  'csv.openQuote': 'Line {line}: a quote (") opens a cell but never closes it. Close the quote or remove it.',
  'csv.empty': '{source} is empty: it has no numbers. Put one number per line (or x and y per line, separated by commas).',
  'csv.headerOnly': '{source} has a header ({header}) but no numbers under it.',
  'csv.tooManyColumns': '{source} has {count} columns ({where}, separated by {separators}); GradLab reads one column (the values) or two (x, then y). Remove the extra columns.',
  'csv.where.header': 'its header',
  'csv.where.line': 'line {line}',
  'csv.separators.comma': 'commas',
  'csv.separators.semicolon': 'semicolons',
  'csv.separators.tab': 'tabs',
  'csv.separators.none': 'nothings',
  'csv.raggedOne': 'Line {line} has {count} value but {reference}; every row needs the same number of columns.',
  'csv.raggedMany': 'Line {line} has {count} values but {reference}; every row needs the same number of columns.',
  'csv.reference.header': 'the header has {count}',
  'csv.reference.line': 'line {line} has {count}',
  'csv.emptyCell': 'Line {line}, column {column} is empty; put a number there or delete the row.',
  'csv.notNumber': 'Line {line}, column {column}: {cell} is not a number. Use digits with a decimal point, like 2.5 or -1e3.',
  'csv.badNumber': 'Line {line}, column {column}: {cell} {problem}.',

  // JSON
  'json.forms': 'a list of numbers like [1, 2, 3], a list of equal-length lists like [[1, 2], [3, 4]], or {"x": [1, 2], "y": [115, 21]}',
  'json.kind.list': 'a list',
  'json.kind.object': 'an object',
  'json.kind.text': '{text} (text)',
  'json.kind.value': '{value}',
  'json.theData': 'the data',
  'json.theList': 'the list',
  'json.notList': '{source}: {what} is {kind}, not a list. Give {forms}.',
  'json.emptyList': '{source}: {what} is empty; it needs at least one number.',
  'json.listNotNumber': '{source}: item {item} is a list, but {first} is a number; every row needs the same shape.',
  'json.notNumber': '{source}: item {item} is {kind}, not a number.',
  'json.badNumber': '{source}: item {item} ({value}) {problem}.',
  'json.notListThere': '{source}: item {item} is {kind}, but a list of {count} is expected there (like {first}); every row needs the same shape.',
  'json.rowLength': '{source}: row {item} has {count} items but {first} has {expected}; every row needs the same length.',
  'json.empty': '{source} is empty. Give {forms}.',
  'json.syntax': '{source}, line {line}, column {column}: {what}. Give {forms}.',
  'json.endsEarly': 'the JSON ends too early (is the file cut off?)',
  'json.invalid': 'this is not valid JSON',
  'json.objectKeys': '{source} holds an object with {keys}; an object needs both "x" and "y" lists, e.g. {"x": [1, 2], "y": [115, 21]}.',
  'json.keys': 'keys {list}',
  'json.noKeys': 'no keys',
  'json.tooDeep': '{source}, line {line}, column {column}: the lists are nested more than {max} levels deep. Numbers need only a few levels, like [[1, 2], [3, 4]].',
  'json.shapes': '{source}: x has shape [{x}] but y has shape [{y}]; they must match, because w*x + b is compared with y value by value.',

  // NumPy .npy
  'npy.saveHint': 'Save a plain float array instead, e.g. np.save("data.npy", a.astype(np.float32)).',
  'npy.headerDamaged': 'The .npy header is damaged ({what} at character {at}). {hint}',
  'npy.syntax.keyNotText': 'a key that is not text',
  'npy.syntax.noColon': 'a missing ":"',
  'npy.syntax.noComma': 'a missing "," or "{close}"',
  'npy.syntax.openText': 'text that never ends',
  'npy.syntax.unexpected': 'something unexpected',
  'npy.syntax.tooDeep': 'brackets nested too deep',
  'npy.headerTooLong': '{source}: its header says it is {bytes} bytes long, but NumPy writes headers of a few hundred bytes, so the file is damaged. {hint}',
  'npy.empty': '{source} is empty (0 bytes). Save the array again with np.save.',
  'npy.badMagic': '{source} is not a NumPy .npy file: it does not start with the bytes "\\x93NUMPY". Save the array with np.save, or pick the right file.',
  'npy.cutInHeader': '{source} is truncated: it ends inside the .npy header ({bytes} bytes). Save it again.',
  'npy.version': '{source} uses .npy format version {major}.{minor}; GradLab reads versions 1, 2 and 3. {hint}',
  'npy.cutInHeaderLength': '{source} is truncated: it ends inside the .npy header. Save it again.',
  'npy.cutHeader': '{source} is truncated: its header should be {expected} bytes but the file ends after {actual}. Save it again.',
  'npy.notDict': '{source}: the .npy header is not a dictionary. {hint}',
  'npy.structured': '{source} holds a structured array (records with named fields); GradLab needs plain numbers. {hint}',
  'npy.noDescr': "{source}: the .npy header has no 'descr' (the number type). {hint}",
  'npy.noFortranOrder': "{source}: the .npy header has no 'fortran_order'. {hint}",
  'npy.noShape': "{source}: the .npy header has no valid 'shape'. {hint}",
  'npy.dtype': '{source} holds {kind} (dtype {descr}); GradLab reads float16/32/64, int8..int64, uint8..uint64 and bool. {hint}',
  'npy.kind.unsupported': 'an unsupported type',
  'npy.kind.c': 'complex numbers',
  'npy.kind.U': 'text (unicode strings)',
  'npy.kind.S': 'bytes strings',
  'npy.kind.O': 'Python objects',
  'npy.kind.M': 'dates',
  'npy.kind.m': 'time differences',
  'npy.kind.V': 'raw or structured records',
  'npy.cutData': '{source} is truncated: its header promises {count} {dtype} values of shape ({shape}) — {needed} bytes — but only {available} bytes follow. Save or copy the file again.',
  'npy.badValue': '{source}: value number {index} (counting in row-major order) {problem} in float32 (nan, inf, or larger than about 3.4e38). Replace it before training.',
  'npy.emptyArray': '{source} holds an empty array (shape ({shape})); it needs at least one number.',

  // Images
  'image.noSize': '{source} has no usable size ({width} × {height} pixels). Pick another image.',
  'image.tooLarge':
    '{source} is {width} × {height} pixels ({mp} megapixels); GradLab opens images up to {max} megapixels. Shrink it in an image editor first — the lesson uses {side} × {side} anyway.',
  'image.side': 'The image side must be a whole number from {min} to {max} pixels, not {side}.',
  'image.pixelBytes': '{source}: {bytes} bytes of pixels do not fit {width} × {height} RGBA ({expected} bytes).',
  'image.valuesShape': '{count} values do not make a {width} × {height} image with {channels} channel(s).',
  'image.weightsShape': '{count} weights do not match a {width} × {height} image with {channels} channel(s).',

  // Choosing a parser by extension (load.ts)
  'load.session': '{file} is a GradLab session, not data. Open it with File › Open Session.',
  'load.npz': '{file} is a NumPy archive (.npz) of several arrays; save one array with np.save("x.npy", a) and open that.',
  'load.extension': '{file} is {what}; GradLab opens {accepted}. Save or export the data in one of these formats.',
  'load.ext.named': 'a .{extension} file',
  'load.ext.none': 'a file without an extension',
  'load.accepted': '.csv, .tsv, .txt (numbers), .json, .npy, or an image (.png, .jpg, .jpeg, .webp, .bmp, .gif)',
  'load.emptyImage': '{file} is empty (0 bytes). Pick another image.',

  // .gradlab session files (session.ts, session-store.node.ts)
  'session.empty': 'This session file is empty (0 bytes of data). The save may have failed; open an earlier copy.',
  'session.damagedJson': 'This GradLab session file is damaged: {where}. Open an earlier copy of it.',
  'session.foreignJson': 'This is not a GradLab session file ({where}). Session files end in .gradlab and are saved with File › Save Session.',
  'session.where.endsEarly': 'it ends too early (the save was probably cut off)',
  'session.where.at': 'it is not valid JSON at line {line}, column {column}',
  'session.foreign': 'This is not a GradLab session file: it is JSON, but not the kind GradLab saves. To use numbers from it, load it as data (x or y) instead.',
  'session.newer': 'This session was saved by a newer GradLab (session format {version}); this GradLab reads format {supported} and older. Update GradLab to open it.',
  'session.invalid': 'This GradLab session file is damaged: {what}. Open an earlier copy, or start again from the lesson.',
  'session.invalid.version': 'its format version is {version}, not a whole number from 1',
  'session.invalid.field': 'the field "{path}" is wrong ({issue})',
  'session.invalid.xy': 'x has {x} values but y has {y}',
  'session.invalid.shape': 'data.shape [{shape}] does not hold {count} values',
  'session.invalid.image': 'image {key} has {count} values, but {width} × {height} × {channels} needs {expected}',
  'session.invalid.base64': '{where} is not valid base64 float32 data',
  'session.invalid.length': '{where} says it has {expected} values but holds {actual} (the file is cut or edited)',
  'session.invalid.nonFinite': '{where} holds a nan or inf at index {index}',
  'session.cannotOpen': 'Cannot open {name}: {reason}.',
  'session.reason.missing': 'it does not exist (moved or deleted?)',
  'session.reason.permission': 'GradLab may not read it',
  'session.reason.folder': 'it is a folder',
} as const;

export type DataMessageId = keyof typeof dataMessagesEn;

export const dataMessagesZh: Record<DataMessageId, string> = {
  'source.csv': '这个 CSV 文件',
  'source.json': '这个 JSON 文件',
  'source.npy': '这个 .npy 文件',
  'source.image': '这张图片',

  'data.tooManyValues': '{what}有 {count} 个数；GradLab 最多只能训练 {max} 个数。请只取数据的一小部分。',
  'data.moreThanMaxValues': '{what}里的数超过了 {max} 个；GradLab 最多只能训练 {max} 个数。请只取数据的一小部分。',
  'data.fileTooLarge': '{source}有 {size} MB；GradLab 最多只能读取 {max} MB 的数据文件。请只取数据的一小部分。',
  'number.notFinite': '不是有限的数',
  'number.tooLarge': '超出了 float32 的范围（最大约为 3.4e38）',
  'xy.noValues': '{which} 里没有数；请先载入一些数。',
  'xy.lengths': 'x 有 {x} 个数，而 y 有 {y} 个；两者的个数必须相同，因为预测值 w*x + b 要和 y 逐个比较。',

  'csv.openQuote': '第 {line} 行：一个引号（"）开始了一个单元格，却没有结束。请补上结束的引号，或者删掉它。',
  'csv.empty': '{source}是空的：里面没有数。请每行写一个数（或者每行写 x 和 y，用逗号隔开）。',
  'csv.headerOnly': '{source}有表头（{header}），但表头下面没有数。',
  'csv.tooManyColumns': '{source}有 {count} 列（见{where}，用{separators}分隔）；GradLab 只读一列（数值）或两列（先 x 后 y）。请删掉多余的列。',
  'csv.where.header': '表头',
  'csv.where.line': '第 {line} 行',
  'csv.separators.comma': '逗号',
  'csv.separators.semicolon': '分号',
  'csv.separators.tab': '制表符',
  'csv.separators.none': '空白',
  'csv.raggedOne': '第 {line} 行有 {count} 个值，但{reference}；每一行的列数必须相同。',
  'csv.raggedMany': '第 {line} 行有 {count} 个值，但{reference}；每一行的列数必须相同。',
  'csv.reference.header': '表头有 {count} 列',
  'csv.reference.line': '第 {line} 行有 {count} 个',
  'csv.emptyCell': '第 {line} 行第 {column} 列是空的；请在那里填一个数，或者删掉这一行。',
  'csv.notNumber': '第 {line} 行第 {column} 列：{cell} 不是数。请用数字和小数点来写，比如 2.5 或 -1e3。',
  'csv.badNumber': '第 {line} 行第 {column} 列：{cell} {problem}。',

  'json.forms': '一个数的列表，如 [1, 2, 3]；一个等长列表组成的列表，如 [[1, 2], [3, 4]]；或者 {"x": [1, 2], "y": [115, 21]}',
  'json.kind.list': '一个列表',
  'json.kind.object': '一个对象',
  'json.kind.text': '文本 {text}',
  'json.kind.value': '值 {value}',
  'json.theData': '数据',
  'json.theList': '列表',
  'json.notList': '{source}：{what}是{kind}，不是列表。请给出{forms}。',
  'json.emptyList': '{source}：{what}是空的；至少需要一个数。',
  'json.listNotNumber': '{source}：元素 {item} 是一个列表，但 {first} 是一个数；每一行的形状必须相同。',
  'json.notNumber': '{source}：元素 {item} 是{kind}，不是数。',
  'json.badNumber': '{source}：元素 {item}（{value}）{problem}。',
  'json.notListThere': '{source}：元素 {item} 是{kind}，但那里应该是一个有 {count} 项的列表（像 {first} 那样）；每一行的形状必须相同。',
  'json.rowLength': '{source}：行 {item} 有 {count} 项，但 {first} 有 {expected} 项；每一行的长度必须相同。',
  'json.empty': '{source}是空的。请给出{forms}。',
  'json.syntax': '{source}，第 {line} 行第 {column} 列：{what}。请给出{forms}。',
  'json.endsEarly': 'JSON 提前结束了（文件是不是被截断了？）',
  'json.invalid': '这不是有效的 JSON',
  'json.objectKeys': '{source}里是一个对象，{keys}；对象里必须同时有 "x" 和 "y" 两个列表，例如 {"x": [1, 2], "y": [115, 21]}。',
  'json.keys': '键是 {list}',
  'json.noKeys': '没有任何键',
  'json.tooDeep': '{source}，第 {line} 行第 {column} 列：列表嵌套超过了 {max} 层。数字只需要几层，比如 [[1, 2], [3, 4]]。',
  'json.shapes': '{source}：x 的形状是 [{x}]，而 y 的形状是 [{y}]；两者必须一致，因为 w*x + b 要和 y 逐个比较。',

  'npy.saveHint': '请改为保存一个普通的浮点数组，例如 np.save("data.npy", a.astype(np.float32))。',
  'npy.headerDamaged': '.npy 文件头已损坏（第 {at} 个字符处有{what}）。{hint}',
  'npy.syntax.keyNotText': '一个不是文本的键',
  'npy.syntax.noColon': '缺少的 ":"',
  'npy.syntax.noComma': '缺少的 "," 或 "{close}"',
  'npy.syntax.openText': '没有结束的文本',
  'npy.syntax.unexpected': '意料之外的内容',
  'npy.syntax.tooDeep': '括号嵌套得太深',
  'npy.headerTooLong': '{source}：文件头说它有 {bytes} 字节长，但 NumPy 写的文件头只有几百字节，所以这个文件已损坏。{hint}',
  'npy.empty': '{source}是空的（0 字节）。请用 np.save 重新保存这个数组。',
  'npy.badMagic': '{source}不是 NumPy .npy 文件：它不是以字节 "\\x93NUMPY" 开头的。请用 np.save 保存数组，或者选择正确的文件。',
  'npy.cutInHeader': '{source}被截断了：它在 .npy 文件头中间就结束了（{bytes} 字节）。请重新保存。',
  'npy.version': '{source}使用的是 .npy 格式版本 {major}.{minor}；GradLab 能读版本 1、2 和 3。{hint}',
  'npy.cutInHeaderLength': '{source}被截断了：它在 .npy 文件头中间就结束了。请重新保存。',
  'npy.cutHeader': '{source}被截断了：文件头应该有 {expected} 字节，但文件在 {actual} 字节后就结束了。请重新保存。',
  'npy.notDict': '{source}：.npy 文件头不是一个字典。{hint}',
  'npy.structured': '{source}里是一个结构化数组（带命名字段的记录）；GradLab 需要普通的数。{hint}',
  'npy.noDescr': "{source}：.npy 文件头里没有 'descr'（数的类型）。{hint}",
  'npy.noFortranOrder': "{source}：.npy 文件头里没有 'fortran_order'。{hint}",
  'npy.noShape': "{source}：.npy 文件头里没有有效的 'shape'。{hint}",
  'npy.dtype': '{source}里是{kind}（dtype {descr}）；GradLab 能读 float16/32/64、int8..int64、uint8..uint64 和 bool。{hint}',
  'npy.kind.unsupported': '不支持的类型',
  'npy.kind.c': '复数',
  'npy.kind.U': '文本（unicode 字符串）',
  'npy.kind.S': '字节串',
  'npy.kind.O': 'Python 对象',
  'npy.kind.M': '日期',
  'npy.kind.m': '时间差',
  'npy.kind.V': '原始或结构化的记录',
  'npy.cutData': '{source}被截断了：文件头说有 {count} 个 {dtype} 值，形状为 ({shape})，共 {needed} 字节，但后面只有 {available} 字节。请重新保存或复制这个文件。',
  'npy.badValue': '{source}：第 {index} 个值（按行优先顺序数）{problem}，无法用于 float32（nan、inf，或大于约 3.4e38）。请在训练前替换它。',
  'npy.emptyArray': '{source}里是一个空数组（形状 ({shape})）；至少需要一个数。',

  'image.noSize': '{source}没有可用的尺寸（{width} × {height} 像素）。请换一张图片。',
  'image.tooLarge': '{source}有 {width} × {height} 像素（{mp} 百万像素）；GradLab 最多打开 {max} 百万像素的图片。请先用图片编辑器把它缩小——反正课程只用 {side} × {side}。',
  'image.side': '图片边长必须是 {min} 到 {max} 之间的整数像素，而不是 {side}。',
  'image.pixelBytes': '{source}：{bytes} 字节的像素数据和 {width} × {height} RGBA（{expected} 字节）对不上。',
  'image.valuesShape': '{count} 个值组不成一张 {width} × {height}、{channels} 个通道的图片。',
  'image.weightsShape': '{count} 个权重和一张 {width} × {height}、{channels} 个通道的图片对不上。',

  'load.session': '{file} 是一个 GradLab 会话，不是数据。请用“文件 › 打开会话”打开它。',
  'load.npz': '{file} 是一个包含多个数组的 NumPy 压缩包（.npz）；请用 np.save("x.npy", a) 单独保存一个数组，再打开它。',
  'load.extension': '{file} 是{what}；GradLab 能打开 {accepted}。请把数据保存或导出成其中一种格式。',
  'load.ext.named': '一个 .{extension} 文件',
  'load.ext.none': '一个没有扩展名的文件',
  'load.accepted': '.csv、.tsv、.txt（数字）、.json、.npy，或者图片（.png、.jpg、.jpeg、.webp、.bmp、.gif）',
  'load.emptyImage': '{file} 是空的（0 字节）。请换一张图片。',

  'session.empty': '这个会话文件是空的（0 字节数据）。可能保存失败了；请打开更早的副本。',
  'session.damagedJson': '这个 GradLab 会话文件已损坏：{where}。请打开它更早的副本。',
  'session.foreignJson': '这不是 GradLab 会话文件（{where}）。会话文件以 .gradlab 结尾，用“文件 › 保存会话”保存。',
  'session.where.endsEarly': '它提前结束了（保存时可能被中断了）',
  'session.where.at': '第 {line} 行第 {column} 列不是有效的 JSON',
  'session.foreign': '这不是 GradLab 会话文件：它是 JSON，但不是 GradLab 保存的那种。要使用里面的数，请把它当作数据（x 或 y）载入。',
  'session.newer': '这个会话是更新版本的 GradLab 保存的（会话格式 {version}）；这个 GradLab 只能读格式 {supported} 及更早的版本。请先更新 GradLab 再打开。',
  'session.invalid': '这个 GradLab 会话文件已损坏：{what}。请打开更早的副本，或者从课程重新开始。',
  'session.invalid.version': '它的格式版本是 {version}，不是从 1 开始的整数',
  'session.invalid.field': '字段 "{path}" 不对（{issue}）',
  'session.invalid.xy': 'x 有 {x} 个数，而 y 有 {y} 个',
  'session.invalid.shape': 'data.shape [{shape}] 装不下 {count} 个数',
  'session.invalid.image': '图片 {key} 有 {count} 个值，但 {width} × {height} × {channels} 需要 {expected} 个',
  'session.invalid.base64': '{where} 不是有效的 base64 float32 数据',
  'session.invalid.length': '{where} 声称有 {expected} 个值，实际却有 {actual} 个（文件被截断或修改过）',
  'session.invalid.nonFinite': '{where} 在第 {index} 个位置有 nan 或 inf',
  'session.cannotOpen': '无法打开 {name}：{reason}。',
  'session.reason.missing': '它不存在（被移动或删除了？）',
  'session.reason.permission': 'GradLab 没有权限读取它',
  'session.reason.folder': '它是一个文件夹',
};

export const dataMessageCatalogs: Record<MessageLang, Record<DataMessageId, string>> = { en: dataMessagesEn, 'zh-CN': dataMessagesZh };

export function dataMessage(id: DataMessageId, params: Record<string, MessageParam> = {}): DataMessage {
  return { id, params };
}

export function isDataMessage(value: unknown): value is DataMessage {
  return typeof value === 'object' && value !== null && typeof (value as DataMessage).id === 'string' && (value as DataMessage).id in dataMessagesEn;
}

/** The placeholders a template uses, e.g. ["source", "count"]. Literal braces such as {"x": …} are not placeholders. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
}

const CJK = /[\u3400-\u9fff]/;
const LATIN_END = /[A-Za-z0-9)\]"'.]$/;
const LATIN_START = /^[A-Za-z0-9(["'.]/;

/** The message in `lang` (English by default); nested messages are worded in the same language. */
export function formatDataMessage(message: DataMessage, lang: MessageLang = 'en'): string {
  const template = dataMessageCatalogs[lang][message.id];
  return template.replace(/\{(\w+)\}/g, (whole, name: string, offset: number) => {
    const value = message.params[name];
    if (value === undefined) return whole;
    const text = typeof value === 'object' ? formatDataMessage(value, lang) : String(value);
    if (lang === 'en') return text;
    // Chinese puts a space between Latin text (a file name, a number) and the characters around it.
    const before = offset > 0 && CJK.test(template[offset - 1]) && LATIN_START.test(text) ? ' ' : '';
    const after = CJK.test(template[offset + whole.length] ?? '') && LATIN_END.test(text) ? ' ' : '';
    return `${before}${text}${after}`;
  });
}
