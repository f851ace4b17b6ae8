import { describe, expect, it } from 'vitest';
import { AVATAR_COLOURS, brandIcon, letterAvatar, normalise } from './brands';
import { contrastRatio } from './contrast';

describe('service icons', () => {
  // Issuers as real services write them in their otpauth:// links and as users type them.
  it.each([
    ['GitHub', 'github'],
    ['github.com', 'github'],
    ['GitLab.com', 'gitlab'],
    ['Google', 'google'],
    ['Google Workspace', 'google'],
    ['Gmail', 'google'],
    ['Apple ID', 'apple'],
    ['Facebook', 'facebook'],
    ['Twitter', 'x'],
    ['X', 'x'],
    ['Discord', 'discord'],
    ['Dropbox', 'dropbox'],
    ['Steam', 'steam'],
    ['PayPal', 'paypal'],
    ['Coinbase', 'coinbase'],
    ['Binance.com', 'binance'],
    ['reddit', 'reddit'],
    ['Epic Games', 'epicgames'],
    ['Battle.net', 'battledotnet'],
    ['Blizzard', 'battledotnet'],
    ['PlayStation Network', 'playstation'],
    ['Cloudflare', 'cloudflare'],
    ['DigitalOcean', 'digitalocean'],
    ['npm', 'npm'],
    ['PyPI', 'pypi'],
    ['Docker Hub', 'docker'],
    ['Atlassian', 'atlassian'],
    ['Bitwarden', 'bitwarden'],
    ['1Password', '1password'],
    ['Proton', 'proton'],
    ['Proton Mail', 'protonmail'],
    ['Nextcloud', 'nextcloud'],
    ['Hetzner Online GmbH', 'hetzner'],
    ['OVHcloud', 'ovh'],
    ['Mastodon', 'mastodon'],
    ['Electronic Arts', 'ea'],
    ['itch.io', 'itchdotio'],
    ['Stack Exchange', 'stackoverflow'],
    ['Hugging Face', 'huggingface'],
    ['Crème Brûlée Wise', null],
    ['Wise', 'wise'],
    ['Box Hill Bank', null],
    ['Contoso Corporation Single Sign-On', null],
    ['Example Savings Bank', null],
    ['', null],
  ])('%s → %s', (issuer, slug) => {
    expect(brandIcon(issuer)?.slug ?? null).toBe(slug);
  });

  it('normalises case, accents, punctuation and web addresses', () => {
    expect(normalise('  Ébay ')).toBe('ebay');
    expect(normalise('https://www.GitHub.com')).toBe('github');
    expect(normalise('Stack-Overflow')).toBe('stackoverflow');
    expect(normalise('Battle.net')).toBe('battle');
  });

  it('draws each glyph in whichever of black and white reads on the brand colour', () => {
    for (const issuer of ['Snapchat', 'GitHub', 'Binance', 'Mailchimp', 'Tesla']) {
      const icon = brandIcon(issuer);
      if (!icon) throw new Error(`no icon for ${issuer}`);
      expect(contrastRatio(icon.background, icon.foreground), issuer).toBeGreaterThanOrEqual(4.5);
    }
    expect(brandIcon('Snapchat')?.foreground).toBe('#000000');
    expect(brandIcon('GitHub')?.foreground).toBe('#ffffff');
  });
});

describe('letter avatars', () => {
  it('take the first letter and keep one colour per service', () => {
    const a = letterAvatar('Example Savings Bank', 'customer');
    expect(a.letter).toBe('E');
    expect(letterAvatar(' example savings bank', 'someone else')).toEqual(a);
    expect(letterAvatar('', 'über-user').letter).toBe('Ü');
    expect(letterAvatar('', '').letter).toBe('?');
    // Different services spread over the palette rather than sharing one colour.
    const colours = new Set(
      ['Acme', 'Contoso', 'Fabrikam', 'Initech', 'Umbrella', 'Globex', 'Hooli', 'Vandelay'].map(
        (n) => letterAvatar(n, '').background,
      ),
    );
    expect(colours.size).toBeGreaterThanOrEqual(4);
  });

  it('use colours that carry white letters at 4.5:1', () => {
    for (const colour of AVATAR_COLOURS)
      expect(contrastRatio(colour, '#ffffff'), colour).toBeGreaterThanOrEqual(4.5);
  });
});
