// Stands in for the `tailwind-merge` package (aliased in vite.config.ts). layerchart joins
// class names through it to resolve conflicting Tailwind utilities; this dashboard uses no
// Tailwind, so plain joining gives the same classes and saves ~28 kB of browser JS.

type ClassValue = string | false | null | undefined | 0;

export function twMerge(...classLists: ClassValue[]): string {
  return classLists.filter(Boolean).join(' ');
}

export function extendTailwindMerge(): typeof twMerge {
  return twMerge;
}
