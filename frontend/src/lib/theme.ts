// The dashboard theme: light, dark, or whatever the system prefers. One storage key
// (`nezuko-theme`, read by the inline script in app.html before first paint) and one
// window event, so the top bar's toggle and the settings page always agree.
export type ThemeChoice = 'light' | 'dark' | 'system';

export const THEME_STORAGE_KEY = 'nezuko-theme';
export const THEME_EVENT = 'nezuko-theme-change';

export const themeChoices: readonly ThemeChoice[] = ['light', 'dark', 'system'];

export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** The stored choice ('system' when nothing is stored or storage is off). */
export function storedTheme(): ThemeChoice {
  try {
    return parseThemeChoice(localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return 'system';
  }
}

/** Whether the page is dark now, from the applied choice or the system preference. */
export function isDarkNow(): boolean {
  const chosen = document.documentElement.dataset['theme'];
  if (chosen === 'dark' || chosen === 'light') return chosen === 'dark';
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** Applies and remembers a choice; 'system' forgets it so the OS decides again. */
export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = choice;
  try {
    if (choice === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // Storage can be off (private mode); the choice then lasts for this page only.
  }
  window.dispatchEvent(new CustomEvent(THEME_EVENT, { detail: choice }));
}
