// Service icons: a chosen set of simple-icons (CC0), matched from an account's issuer; anything
// else gets a letter on a stable colour. Each icon is named statically on the namespace, so
// the bundle holds only these (see docs/architecture.md for the sizes).
import * as si from 'simple-icons';
import type { SimpleIcon } from 'simple-icons';
import { contrastRatio } from './contrast';

const SHIPPED: readonly SimpleIcon[] = [
  si.siGithub,
  si.siGitlab,
  si.siGoogle,
  si.siApple,
  si.siFacebook,
  si.siInstagram,
  si.siX,
  si.siDiscord,
  si.siDropbox,
  si.siSteam,
  si.siPaypal,
  si.siStripe,
  si.siCoinbase,
  si.siBinance,
  si.siReddit,
  si.siTwitch,
  si.siEpicgames,
  si.siPlaystation,
  si.siUbisoft,
  si.siBattledotnet,
  si.siCloudflare,
  si.siDigitalocean,
  si.siNetlify,
  si.siVercel,
  si.siNpm,
  si.siPypi,
  si.siDocker,
  si.siAtlassian,
  si.siBitbucket,
  si.siOkta,
  si.si1password,
  si.siBitwarden,
  si.siLastpass,
  si.siProton,
  si.siProtonmail,
  si.siZoho,
  si.siWordpress,
  si.siShopify,
  si.siMailchimp,
  si.siHubspot,
  si.siZoom,
  si.siAutodesk,
  si.siFigma,
  si.siNotion,
  si.siEvernote,
  si.siTrello,
  si.siAsana,
  si.siHetzner,
  si.siOvh,
  si.siGodaddy,
  si.siNamecheap,
  si.siTesla,
  si.siUber,
  si.siAirbnb,
  si.siRobinhood,
  si.siKucoin,
  si.siOkx,
  si.siRevolut,
  si.siWise,
  si.siN26,
  si.siMonzo,
  si.siSnapchat,
  si.siTiktok,
  si.siTelegram,
  si.siWhatsapp,
  si.siSignal,
  si.siMastodon,
  si.siBluesky,
  si.siTumblr,
  si.siPinterest,
  si.siPatreon,
  si.siKickstarter,
  si.siEbay,
  si.siEtsy,
  si.siNextcloud,
  si.siSynology,
  si.siUbiquiti,
  si.siKeycloak,
  si.siAnthropic,
  si.siHuggingface,
  si.siKaggle,
  si.siJetbrains,
  si.siSentry,
  si.siDatadog,
  si.siGrafana,
  si.siMongodb,
  si.siFirebase,
  si.siSupabase,
  si.siBackblaze,
  si.siBox,
  si.siMega,
  si.siTailscale,
  si.siMullvad,
  si.siNordvpn,
  si.siExpressvpn,
  si.siProtonvpn,
  si.siPorkbun,
  si.siGandi,
  si.siSquarespace,
  si.siWix,
  si.siWebflow,
  si.siGhost,
  si.siMedium,
  si.siSubstack,
  si.siQuora,
  si.siStackoverflow,
  si.siMozilla,
  si.siGitea,
  si.siCodeberg,
  si.siSourcehut,
  si.siUbuntu,
  si.siFedora,
  si.siArchlinux,
  si.siDebian,
  si.siScaleway,
  si.siVultr,
  si.siIntuit,
  si.siXero,
  si.siGusto,
  si.siDashlane,
  si.siKeeper,
  si.siRoblox,
  si.siRiotgames,
  si.siEa,
  si.siHumblebundle,
  si.siItchdotio,
  si.siRockstargames,
  si.siSquare,
  si.siVenmo,
  si.siCashapp,
  si.siKlarna,
  si.siBunq,
];

/** Other names people and servers use for the same services (normalised, see `normalise`). */
const ALIASES: Record<string, string> = {
  twitter: 'x',
  gmail: 'google',
  googleaccount: 'google',
  googleworkspace: 'google',
  appleid: 'apple',
  icloud: 'apple',
  meta: 'facebook',
  psn: 'playstation',
  playstationnetwork: 'playstation',
  sonyentertainmentnetwork: 'playstation',
  battlenet: 'battledotnet',
  blizzard: 'battledotnet',
  blizzardentertainment: 'battledotnet',
  electronicarts: 'ea',
  eaapp: 'ea',
  epic: 'epicgames',
  itchio: 'itchdotio',
  npmjs: 'npm',
  pythonpackageindex: 'pypi',
  protonag: 'proton',
  protonaccount: 'proton',
  jira: 'atlassian',
  confluence: 'atlassian',
  wordpresscom: 'wordpress',
  transferwise: 'wise',
  hetznercloud: 'hetzner',
  ovhcloud: 'ovh',
  digitaloceancloud: 'digitalocean',
  steamguard: 'steam',
  valve: 'steam',
  discordapp: 'discord',
  huggingfaceco: 'huggingface',
  stackexchange: 'stackoverflow',
  cashappsquare: 'cashapp',
};

const BY_NAME: ReadonlyMap<string, SimpleIcon> = (() => {
  const index = new Map<string, SimpleIcon>();
  for (const icon of SHIPPED) {
    index.set(icon.slug, icon);
    index.set(normalise(icon.title), icon);
  }
  for (const [alias, slug] of Object.entries(ALIASES)) {
    const icon = index.get(slug);
    if (icon) index.set(alias, icon);
  }
  return index;
})();

/** Lower case, accents and punctuation gone, a web address's www. and ending dropped. */
export function normalise(issuer: string): string {
  const plain = issuer
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/^(https?:\/\/)?(www\.)?/, '');
  const host = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(plain) ? plain.replace(/\.[a-z]{2,}$/, '') : plain;
  return host.replace(/[^\p{L}\p{N}]/gu, '');
}

/** A first word this long names the service on its own ("Google Workspace", "Steam Guard");
 *  shorter ones ("Box Hill Bank") are too often a different business. */
const FIRST_WORD_MIN = 5;

export interface BrandIcon {
  slug: string;
  title: string;
  path: string;
  /** The tile: the brand's colour, with its glyph in white or black, whichever reads. */
  background: string;
  foreground: string;
}

export function brandIcon(issuer: string): BrandIcon | null {
  const whole = normalise(issuer);
  const first = normalise(issuer.trim().split(/\s+/)[0] ?? '');
  const icon = BY_NAME.get(whole) ?? (first.length >= FIRST_WORD_MIN ? BY_NAME.get(first) : undefined);
  if (!icon) return null;
  const background = `#${icon.hex}`;
  return { slug: icon.slug, title: icon.title, path: icon.path, background, foreground: glyphOn(background) };
}

/** Black or white, whichever reads better on `background` (`#rrggbb`). */
export function glyphOn(background: string): string {
  // The colour with the higher contrast ratio against the tile.
  return contrastRatio(background, '#000000') > contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}

/** Letter avatars: colours that all carry white text at 4.5:1 or more. */
export const AVATAR_COLOURS = [
  '#b4233c',
  '#a3400f',
  '#7a5a00',
  '#2f6b1f',
  '#0f6b5c',
  '#0b5f8a',
  '#3949ab',
  '#6a3fb5',
  '#8e2f86',
  '#5b6470',
] as const;

export interface LetterAvatar {
  letter: string;
  background: string;
}

/** The first letter of the issuer (or the name), on a colour that stays the same for it. */
export function letterAvatar(issuer: string, name: string): LetterAvatar {
  const source = (issuer.trim() || name.trim() || '?').normalize('NFC');
  const letter = [...source][0]?.toLocaleUpperCase() ?? '?';
  // FNV-1a over the normalised issuer: the same service gets the same colour everywhere.
  let hash = 0x811c9dc5;
  for (const unit of normalise(source) || source) {
    hash ^= unit.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return { letter, background: AVATAR_COLOURS[hash % AVATAR_COLOURS.length] ?? AVATAR_COLOURS[0] };
}
