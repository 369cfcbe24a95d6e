/**
 * The Dfns permissions a service account needs to pay with a fee sponsor (`feeSponsorId` on a transfer), beyond
 * `Wallets:Transfers:Create`. The shipped permission set must include them; kept here, named, until that set lives
 * in one file.
 */
export const FEE_SPONSOR_PERMISSIONS = ['FeeSponsors:Use'] as const;
