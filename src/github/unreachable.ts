/** What a GitHub request that got no answer at all is reported as (see githubFailure): the status proxies use for "no answer". */
export const unreachableStatus = 599;
