// Placeholder entry; the window UI replaces this file.
export {};
