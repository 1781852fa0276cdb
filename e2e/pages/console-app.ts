// Page objects for the settings console: the shell with its three views, Advanced setup, Detections.
import { expect, type Locator, type Page } from '@playwright/test';

export class ConsoleApp {
  readonly setup: SetupPage;
  readonly detections: DetectionsPage;
  readonly status: StatusPage;
  constructor(readonly page: Page) {
    this.setup = new SetupPage(page);
    this.detections = new DetectionsPage(page);
    this.status = new StatusPage(page);
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  }

  async goTo(view: 'Status' | 'Advanced setup' | 'Detections'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: view }).click();
  }

  /** Set a marker in the page; `stillSamePage()` is true only if nothing reloaded it since. */
  async markPage(): Promise<void> {
    await this.page.evaluate(() => ((window as any).__mailwardMarker = true));
  }
  async stillSamePage(): Promise<boolean> {
    return this.page.evaluate(() => (window as any).__mailwardMarker === true);
  }
}

export class StatusPage {
  constructor(readonly page: Page) {}
  heading(): Locator {
    return this.page.getByRole('heading', { level: 2 }).first();
  }
}

export class SetupPage {
  constructor(readonly page: Page) {}
  tree(): Locator {
    return this.page.getByRole('tree', { name: 'Settings' });
  }
  treeItem(name: string): Locator {
    return this.tree().getByRole('treeitem', { name, exact: true });
  }
  pageTitle(): Locator {
    return this.page.locator('#page-title');
  }
  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }
  /** The message shown next to a field (null text when valid). */
  fieldError(label: string): Locator {
    return this.page.locator('.field', { has: this.field(label) }).getByRole('alert');
  }
  ok(): Locator {
    return this.page.getByRole('button', { name: 'OK', exact: true });
  }
  cancel(): Locator {
    return this.page.getByRole('button', { name: 'Cancel', exact: true });
  }
  saveState(): Locator {
    return this.page.locator('.actions [role=status]');
  }
  search(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search settings' });
  }
  async applyAndWait(): Promise<void> {
    await this.ok().click();
    await expect(this.saveState()).toHaveText('All changes saved');
  }
  async openPage(title: string): Promise<void> {
    await this.treeItem(title).locator(':scope > .tree-row').click();
    await expect(this.pageTitle()).toHaveText(title);
  }
}

export class DetectionsPage {
  constructor(readonly page: Page) {}
  table(): Locator {
    return this.page.getByRole('table', { name: 'Detections log' });
  }
  rows(): Locator {
    return this.table().locator('tbody tr');
  }
}
