const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const { isInfraFailure } = require('./resilience/errors');

const sns = new SNSClient({});

exports.notify = async function notify(topicArn, message) {
  const err = null;
  try {
    return await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  } catch (e) {
    console.warn('sns down', e, isInfraFailure(e));
    return err;
  }
};

exports.publish = (topicArn, message) =>
  sns.send(new PublishCommand({ TopicArn: topicArn, Message: message })).catch(function () {
    console.error('publish failed');
    return false;
  });
