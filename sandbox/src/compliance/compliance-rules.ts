import type { RuleVerdict } from '../policies/policy-rules';
import type { TransferRequest } from '../wallets/transfer-schema';
import { ALERT_LEVELS, type ScreeningConfig, type TravelRuleConfig } from './compliance-config';

/** The configuration of a `ChainalysisTransactionPrescreening` rule (@dfns/sdk's type). */
export interface PrescreeningConfiguration {
  alerts: { alertLevel: (typeof ALERT_LEVELS)[number]; categoryIds: number[] };
  exposures: { direct: { categoryIds: number[] } };
  addresses: { categoryIds: number[] };
  userIdTemplate?: string;
  fallbackBehaviours: {
    skipUnscreenableTransaction: boolean;
    skipUnsupportedNetwork: boolean;
    skipUnsupportedAsset: boolean;
    skipChainalysisFailure: boolean;
  };
}

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const same = (a: string, b: string) =>
  EVM_ADDRESS.test(a) && EVM_ADDRESS.test(b) ? a.toLowerCase() === b.toLowerCase() : a === b;

/** A fallback: skipped (not triggered) when the rule says so, else triggered (fail closed). */
const fallback = (skip: boolean, what: string): RuleVerdict =>
  skip
    ? { triggered: false, reason: `${what}; skipped (fallback behaviour).` }
    : { triggered: true, reason: `${what}; the rule triggers (fail closed).` };

/**
 * Judges a transfer as Dfns's Chainalysis pre-screening would (https://docs.dfns.co/integrations/aml-kyt/chainalysis):
 * the network and transfer kind must be on the screened list, then the recipient is looked up among the risky
 * addresses. The rule triggers when the alert is at or above `alerts.alertLevel` in one of `alerts.categoryIds`
 * (empty: any category), when a direct exposure's category is in `exposures.direct.categoryIds`, or when the
 * address's category is in `addresses.categoryIds`. Choices where Dfns is silent: the level is a minimum (the
 * compliance guide lists "Alert levels: SEVERE, HIGH" for one policy), and an empty `alerts.categoryIds` means any.
 * The verdict's context carries the alert, as `policy.triggered` publishes it.
 */
export function prescreeningVerdict(
  configuration: PrescreeningConfiguration,
  transfer: TransferRequest,
  screening: ScreeningConfig,
): RuleVerdict {
  const { fallbackBehaviours: fallbacks } = configuration;
  const kind = transfer.requestBody.kind;
  const network = transfer.network;
  const screenedKinds = Object.entries(screening.networks).filter(([, networks]) => networks.includes(network));
  if (screenedKinds.length === 0)
    return fallback(fallbacks.skipUnsupportedNetwork, `${network} is not screened by Chainalysis`);
  if (kind !== 'Native' && kind !== 'Erc20')
    return fallback(fallbacks.skipUnsupportedAsset, `${kind} transfers are not screened`);
  if (!screening.networks[kind].includes(network))
    return fallback(fallbacks.skipUnsupportedAsset, `${kind} transfers on ${network} are not screened`);
  if (screening.unavailable) return fallback(fallbacks.skipChainalysisFailure, 'Chainalysis did not answer');
  const recipient = transfer.requestBody.to;
  const risk = screening.addresses.find((entry) => same(entry.address, recipient));
  if (!risk) return { triggered: false, reason: `No Chainalysis alert for ${recipient}.` };
  const level = ALERT_LEVELS.indexOf(risk.alertLevel);
  const { alerts, exposures, addresses } = configuration;
  const byAlert =
    level >= ALERT_LEVELS.indexOf(alerts.alertLevel) &&
    (alerts.categoryIds.length === 0 || alerts.categoryIds.includes(risk.categoryId));
  const byExposure = risk.exposureType === 'DIRECT' && exposures.direct.categoryIds.includes(risk.categoryId);
  const byAddress = addresses.categoryIds.includes(risk.categoryId);
  const context = {
    alerts: [
      {
        alertLevel: risk.alertLevel,
        category: risk.category,
        categoryId: risk.categoryId,
        exposureType: risk.exposureType,
      },
    ],
  };
  if (!byAlert && !byExposure && !byAddress) {
    return {
      triggered: false,
      reason: `Chainalysis alert ${risk.alertLevel} (${risk.category}) is below the rule.`,
      context,
    };
  }
  const why = byAlert ? `alert ${risk.alertLevel}` : byExposure ? 'direct exposure' : 'address category';
  return { triggered: true, reason: `Chainalysis ${why} for the recipient: ${risk.category}.`, context };
}

/**
 * Judges a transfer's Travel Rule data as the simulated Notabene answers it
 * (https://docs.dfns.co/integrations/travel-rule/notabene: the policy triggers when validation fails or the
 * beneficiary's VASP refuses): no data, a refused VASP, or no VASP DID where one is required.
 */
export function travelRuleVerdict(transfer: TransferRequest, config: TravelRuleConfig): RuleVerdict {
  const payload = transfer.requestBody.travelRule;
  if (!payload) {
    return config.refuseWithoutPayload
      ? { triggered: true, reason: 'Travel Rule validation failed: the transfer carries no Travel Rule data.' }
      : { triggered: false, reason: 'No Travel Rule data; none required.' };
  }
  const did = payload.beneficiaryVASPdid;
  if (did && config.refuseVaspDids.includes(did))
    return { triggered: true, reason: 'Travel Rule refused by the beneficiary VASP.' };
  if (!did && config.requireBeneficiaryVaspDid)
    return { triggered: true, reason: 'Travel Rule validation failed: beneficiaryVASPdid is required.' };
  return { triggered: false, reason: 'Travel Rule data accepted.' };
}
