import type { ParlanceLocale } from '../../hooks/parlance-provider';

/**
 * Every word `MaskEditor` and `ImageGallery` show or announce. Pass a partial object as the
 * `strings` prop to override any of them.
 */
export interface ImagesStrings {
  /** The mask editor's toolbar name. */
  maskTools: string;
  /** The canvas's accessible name and its keyboard hint. */
  maskCanvas: string;
  maskCanvasHint: string;
  /** The toolbar's groups: brush settings, mask actions, the view. */
  maskBrushGroup: string;
  maskEditGroup: string;
  maskViewGroup: string;
  /** Announced as the keyboard brush moves and marks; `{x}` and `{y}` are image pixels. */
  maskBrushAt: string;
  maskPaintedAt: string;
  maskErasedAt: string;
  maskCornerAt: string;
  maskRectangleFilled: string;
  maskRectangleCancelled: string;
  paint: string;
  erase: string;
  rectangle: string;
  pan: string;
  brushSize: string;
  hardness: string;
  undo: string;
  redo: string;
  clear: string;
  invert: string;
  zoomIn: string;
  zoomOut: string;
  resetView: string;
  /** `{zoom}` is a percentage. */
  zoomLevel: string;
  loadingImage: string;
  imageFailed: string;
  /** The gallery's accessible name. */
  gallery: string;
  galleryEmpty: string;
  /** A placeholder while an image is made. */
  generating: string;
  /** While the request waits for the rate limit; `{position}` and `{seconds}`. */
  queued: string;
  /** `{index}` of `{total}` for the requested prompt `{prompt}`. */
  imageAlt: string;
  /** Shown instead of an image whose URL has expired. */
  expired: string;
  /** Shown instead of an image whose address is not `blob:`, `data:image/` or `https:`. */
  blocked: string;
  /** A request that failed; `{message}`. */
  requestFailed: string;
  cancelled: string;
  download: string;
  copy: string;
  copied: string;
  copyFailed: string;
  keep: string;
  editThis: string;
  varyThis: string;
  /** Before a model's rewritten prompt. */
  revisedPrompt: string;
  /** Shown when the input was scaled down; `{from}` and `{to}` are pixel sides. */
  reduced: string;
  /** Operation names. */
  generate: string;
  edit: string;
  variation: string;
}

const en: ImagesStrings = {
  maskTools: 'Mask tools',
  maskCanvas: 'Mask canvas',
  maskCanvasHint:
    'Paint the area to change. Arrow keys move the brush (Shift: bigger steps), Space or Enter paints under it; with Rectangle, Space sets one corner and again fills to the other. Plus and minus zoom, Ctrl+Z undoes, Shift+Ctrl+Z redoes. With Pan, arrow keys pan.',
  maskBrushGroup: 'Brush',
  maskEditGroup: 'Mask',
  maskViewGroup: 'View',
  maskBrushAt: 'Brush at {x}, {y}',
  maskPaintedAt: 'Painted at {x}, {y}',
  maskErasedAt: 'Erased at {x}, {y}',
  maskCornerAt: 'Corner at {x}, {y}: move, then press Space to fill the rectangle',
  maskRectangleFilled: 'Rectangle filled',
  maskRectangleCancelled: 'Rectangle cancelled',
  paint: 'Paint',
  erase: 'Erase',
  rectangle: 'Rectangle',
  pan: 'Pan',
  brushSize: 'Brush size',
  hardness: 'Hardness',
  undo: 'Undo',
  redo: 'Redo',
  clear: 'Clear',
  invert: 'Invert',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  resetView: 'Reset view',
  zoomLevel: 'Zoom {zoom}%',
  loadingImage: 'Loading image…',
  imageFailed: 'The image could not be loaded: {message}',
  gallery: 'Generated images',
  galleryEmpty: 'No images yet.',
  generating: 'Generating image…',
  queued: 'Waiting for the rate limit: position {position}, about {seconds} s',
  imageAlt: 'Image {index} of {total}: {prompt}',
  expired: 'This image link has expired.',
  blocked: 'This image address is not allowed here. Keep the image to show it.',
  requestFailed: 'The request failed: {message}',
  cancelled: 'Cancelled',
  download: 'Download',
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Could not copy',
  keep: 'Keep',
  editThis: 'Edit this',
  varyThis: 'Vary this',
  revisedPrompt: 'Revised prompt:',
  reduced: 'Scaled down from {from} px to {to} px to stay under 4 MB.',
  generate: 'Generated',
  edit: 'Edited',
  variation: 'Variation',
};

const zhCN: ImagesStrings = {
  maskTools: '蒙版工具',
  maskCanvas: '蒙版画布',
  maskCanvasHint:
    '涂抹需要修改的区域。方向键移动画笔（按住 Shift 移动更多），空格或回车在画笔处涂抹；使用矩形时，空格设定一个角，再按一次填充到另一个角。加号和减号缩放，Ctrl+Z 撤销，Shift+Ctrl+Z 重做。使用平移时，方向键平移。',
  maskBrushGroup: '画笔',
  maskEditGroup: '蒙版',
  maskViewGroup: '视图',
  maskBrushAt: '画笔位于 {x}, {y}',
  maskPaintedAt: '已涂抹 {x}, {y}',
  maskErasedAt: '已擦除 {x}, {y}',
  maskCornerAt: '角位于 {x}, {y}：移动后按空格填充矩形',
  maskRectangleFilled: '已填充矩形',
  maskRectangleCancelled: '已取消矩形',
  paint: '涂抹',
  erase: '擦除',
  rectangle: '矩形',
  pan: '平移',
  brushSize: '画笔大小',
  hardness: '硬度',
  undo: '撤销',
  redo: '重做',
  clear: '清除',
  invert: '反选',
  zoomIn: '放大',
  zoomOut: '缩小',
  resetView: '重置视图',
  zoomLevel: '缩放 {zoom}%',
  loadingImage: '正在加载图片…',
  imageFailed: '图片无法加载：{message}',
  gallery: '生成的图片',
  galleryEmpty: '还没有图片。',
  generating: '正在生成图片…',
  queued: '正在等待速率限制：第 {position} 位，约 {seconds} 秒',
  imageAlt: '第 {index} 张，共 {total} 张：{prompt}',
  expired: '此图片链接已过期。',
  blocked: '此处不允许该图片地址。保留图片即可显示。',
  requestFailed: '请求失败：{message}',
  cancelled: '已取消',
  download: '下载',
  copy: '复制',
  copied: '已复制',
  copyFailed: '无法复制',
  keep: '保留',
  editThis: '编辑此图',
  varyThis: '生成变体',
  revisedPrompt: '修订后的提示词：',
  reduced: '已从 {from} 像素缩小到 {to} 像素，以保持在 4 MB 以内。',
  generate: '生成',
  edit: '编辑',
  variation: '变体',
};

/** The image components' strings per locale. */
export const imagesCatalogs: Record<ParlanceLocale, ImagesStrings> = { en, 'zh-CN': zhCN };
