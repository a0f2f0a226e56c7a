// Text for saving, opening and exporting sessions, in both languages. zh-CN must have exactly the
// keys of en (the type says so and a unit test checks it). Placeholders in braces are filled by
// fillSessionString; both languages use the same names.
import { fillPlaceholders } from '../i18n/catalogs';
export const sessionEn = {
  'menu.label': 'Session',
  'menu.save': 'Save session',
  'menu.saveTitle': 'Download everything in the lab as a .gradlab file',
  'menu.open': 'Open session…',
  'menu.openTitle': 'Open a .gradlab file saved earlier',
  'menu.export': 'Export',
  'menu.exportLoss': 'Loss history (CSV)',
  'menu.exportParams': 'Parameters w and b (CSV)',
  'menu.exportChart': 'Chart “{title}” (PNG)',
  'menu.exportScript': 'PyTorch script, plain tensors (.py)',
  'menu.exportScriptNn': 'PyTorch script, torch.nn + optim (.py)',
  'menu.unsaved': 'Unsaved changes',
  'menu.allSaved': 'All changes saved',

  'chart.loss': 'Loss',
  'chart.weights': 'w and b',
  'chart.grads': 'Gradients',

  'msg.saved': 'Saved {name}. Your browser puts it in its downloads folder.',
  'msg.opened': 'Opened {name} (saved {when}).',
  'msg.restored': 'Your work from last time is back (kept in this browser).',
  'msg.autosaveFailed': 'This browser would not keep a copy of your work ({reason}). Save the session to keep it.',
  'msg.exported': 'Downloaded {name}.',
  'msg.exportedTwo': 'Downloaded {script} and its data file {data}: keep them in the same folder.',
  'msg.nothingToExport': 'There is nothing to export yet: run the training first.',
  'msg.noData': 'There is no valid data to export yet: load or type x and y first.',
  'msg.longW': 'w has {n} values and the window only receives a summary of such a long w, so the parameters cannot be written out. Export the PyTorch script instead: it reproduces every value.',
  'msg.exportFailed': 'The export did not work: {reason}',
  'msg.saveFailed': 'The session could not be saved: {reason}',
  'msg.kept': 'Nothing was changed: everything you had is still here.',
  'msg.dismiss': 'Dismiss',

  'error.empty': '{name} is empty: the save may have failed. Open an earlier copy.',
  'error.notJson': '{name} is a damaged GradLab session.',
  'error.foreign': '{name} is not a GradLab session. Session files end in .gradlab and are made with “Save session”.',
  'error.newerVersion': '{name} was saved by a newer GradLab. Update GradLab to open it.',
  'error.invalid': '{name} is a damaged GradLab session.',
  'error.extension': '{name} is not a .gradlab file. To use numbers or images from it, load it as data instead.',
  'error.read': '{name} could not be read ({reason}). Try choosing it again.',
  'error.tooBig': '{name} is {mb} MB; GradLab sessions are at most {max} MB. Is it the right file?',
  'error.detail': 'Details: {detail}',

  'unload.prompt': 'You have unsaved changes in GradLab. Leave anyway?',

  // Desktop: Electron's own dialogs and the recent-files list.
  'desk.saveTitle': 'Save everything in the lab to its .gradlab file (Ctrl+S)',
  'desk.saveAs': 'Save as…',
  'desk.saveAsTitle': 'Save everything in the lab to a new .gradlab file (Shift+Ctrl+S)',
  'desk.openTitle': 'Open a .gradlab file saved earlier (Ctrl+O)',
  'desk.recent': 'Recent',
  'desk.recentTitle': 'Sessions you saved or opened lately',
  'desk.recentEmpty': 'No recent sessions yet.',
  'desk.recentClear': 'Clear the list',
  'desk.saved': 'Saved {name}.',
  'desk.restored': 'Your work from last time is back (GradLab keeps a copy on this computer).',
  'desk.dropped': 'No longer found, so removed from the recent list (moved or deleted?): {names}.',
  'cause.noFolder': 'the folder does not exist (moved or deleted?)',
  'cause.noPermission': 'GradLab may not write or read there',
  'cause.isFolder': 'it is a folder',
  'cause.diskFull': 'the disk is full',
  'cause.readOnly': 'the disk is read-only',
  'error.missing': '{name} is no longer there (moved or deleted?), so it was removed from the recent list.',
  'error.write': '{name} could not be saved: {reason}. The file as it was before is unchanged; choose “Save as…” to save somewhere else.',
  'error.refused': 'GradLab refused this: {reason}',
  'browser.saveAsTitle': 'Download everything in the lab as a .gradlab file (Shift+Ctrl+S)',
} as const;

export type SessionStringKey = keyof typeof sessionEn;
export type SessionCatalog = Record<SessionStringKey, string>;

export const sessionZh: SessionCatalog = {
  'menu.label': '会话',
  'menu.save': '保存会话',
  'menu.saveTitle': '把实验区里的全部内容下载成 .gradlab 文件',
  'menu.open': '打开会话…',
  'menu.openTitle': '打开以前保存的 .gradlab 文件',
  'menu.export': '导出',
  'menu.exportLoss': '损失历史（CSV）',
  'menu.exportParams': '参数 w 和 b（CSV）',
  'menu.exportChart': '图表“{title}”（PNG）',
  'menu.exportScript': 'PyTorch 脚本，直接用张量（.py）',
  'menu.exportScriptNn': 'PyTorch 脚本，用 torch.nn 和 optim（.py）',
  'menu.unsaved': '有未保存的修改',
  'menu.allSaved': '修改都已保存',

  'chart.loss': '损失',
  'chart.weights': 'w 和 b',
  'chart.grads': '梯度',

  'msg.saved': '已保存 {name}。浏览器会把它放进下载文件夹。',
  'msg.opened': '已打开 {name}（保存于 {when}）。',
  'msg.restored': '上次的内容已经恢复（保存在这个浏览器里）。',
  'msg.autosaveFailed': '这个浏览器不肯保存你的内容副本（{reason}）。请保存会话，免得丢失。',
  'msg.exported': '已下载 {name}。',
  'msg.exportedTwo': '已下载 {script} 和它的数据文件 {data}：请把它们放在同一个文件夹里。',
  'msg.nothingToExport': '还没有可以导出的内容：请先运行训练。',
  'msg.noData': '还没有可以导出的有效数据：请先载入或输入 x 和 y。',
  'msg.longW': 'w 有 {n} 个数，这么长的 w 窗口只收到摘要，所以无法写出全部参数。请改为导出 PyTorch 脚本：它能重现每一个值。',
  'msg.exportFailed': '导出没有成功：{reason}',
  'msg.saveFailed': '会话没能保存：{reason}',
  'msg.kept': '什么都没有改变：你原来的内容都还在。',
  'msg.dismiss': '关闭',

  'error.empty': '{name} 是空的：可能保存失败了。请打开更早的副本。',
  'error.notJson': '{name} 是一个已损坏的 GradLab 会话。',
  'error.foreign': '{name} 不是 GradLab 会话。会话文件以 .gradlab 结尾，用“保存会话”生成。',
  'error.newerVersion': '{name} 是更新版本的 GradLab 保存的。请先更新 GradLab 再打开。',
  'error.invalid': '{name} 是一个已损坏的 GradLab 会话。',
  'error.extension': '{name} 不是 .gradlab 文件。要使用里面的数字或图片，请把它当作数据载入。',
  'error.read': '无法读取 {name}（{reason}）。请再选择一次。',
  'error.tooBig': '{name} 有 {mb} MB；GradLab 会话最大 {max} MB。是不是选错文件了？',
  'error.detail': '详细信息：{detail}',

  'unload.prompt': 'GradLab 里有未保存的修改。仍然要离开吗？',

  'desk.saveTitle': '把实验区里的全部内容保存到它的 .gradlab 文件（Ctrl+S）',
  'desk.saveAs': '另存为…',
  'desk.saveAsTitle': '把实验区里的全部内容保存到一个新的 .gradlab 文件（Shift+Ctrl+S）',
  'desk.openTitle': '打开以前保存的 .gradlab 文件（Ctrl+O）',
  'desk.recent': '最近',
  'desk.recentTitle': '最近保存或打开过的会话',
  'desk.recentEmpty': '还没有最近的会话。',
  'desk.recentClear': '清除列表',
  'desk.saved': '已保存 {name}。',
  'desk.restored': '上次的内容已经恢复（GradLab 在这台电脑上保留了一份副本）。',
  'desk.dropped': '找不到了（被移动或删除了？），已从最近列表中移除：{names}。',
  'cause.noFolder': '文件夹不存在（被移动或删除了？）',
  'cause.noPermission': 'GradLab 没有权限在那里读写',
  'cause.isFolder': '它是一个文件夹',
  'cause.diskFull': '磁盘已满',
  'cause.readOnly': '磁盘是只读的',
  'error.missing': '{name} 已经不在原处（被移动或删除了？），所以已从最近列表中移除。',
  'error.write': '{name} 没能保存：{reason}。原来的文件没有任何改变；可以用“另存为…”保存到别处。',
  'error.refused': 'GradLab 拒绝了这个操作：{reason}',
  'browser.saveAsTitle': '把实验区里的全部内容下载成 .gradlab 文件（Shift+Ctrl+S）',
};

export type SessionLang = 'zh-CN' | 'en';
export const sessionCatalogs: Record<SessionLang, SessionCatalog> = { 'zh-CN': sessionZh, en: sessionEn };

export function fillSessionString(lang: SessionLang, key: SessionStringKey, params?: Record<string, string | number>): string {
  return fillPlaceholders(sessionCatalogs[lang][key], params);
}
